/// Row numbers of the model's features: an open-addressed table keyed by the features' 64-bit
/// hashes, which are already well mixed — no second hash as a Swift `Dictionary` would compute.
struct FeatureTable: Sendable {
    private let keys: [UInt64]
    private let rows: [Int32]
    private let mask: Int

    /// Builds the table from feature → row.
    init(_ rowsByFeature: [UInt64: Int32]) {
        var capacity = 16
        while capacity < rowsByFeature.count * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var rows = [Int32](repeating: -1, count: capacity)
        for (feature, row) in rowsByFeature {
            var slot = Int(truncatingIfNeeded: Self.stored(feature)) & (capacity - 1)
            while keys[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = Self.stored(feature)
            rows[slot] = row
        }
        self.keys = keys
        self.rows = rows
        mask = capacity - 1
    }

    /// 0 marks an empty slot; a feature hashing to 0 is stored as 1.
    @inline(__always)
    private static func stored(_ feature: UInt64) -> UInt64 { feature == 0 ? 1 : feature }

    /// The row of a feature, if the model has it.
    @inline(__always)
    func row(_ feature: UInt64) -> Int32? {
        let key = Self.stored(feature)
        return keys.withUnsafeBufferPointer { keys in
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let stored = keys[slot]
                if stored == key { return rows[slot] }
                if stored == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
