/// Row numbers of the model's features: an open-addressed table keyed by the features' 64-bit
/// hashes, which are already well mixed — no second hash as a Swift `Dictionary` would compute.
/// It can hold the rows of two passes, so that a feature both score is found with one probe.
struct FeatureTable: Sendable {
    private let keys: [UInt64]
    /// Per slot, the row in the first and in the second table (-1: not there).
    private let rows: [(Int32, Int32)]
    private let mask: Int

    /// Builds the table from the features of one or two passes, each listed in row order.
    init(first: [UInt64], second: [UInt64] = []) {
        var capacity = 16
        while capacity < (first.count + second.count) * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var rows = [(Int32, Int32)](repeating: (-1, -1), count: capacity)
        for (pass, features) in [first, second].enumerated() {
            for (row, feature) in features.enumerated() {
                let key = Self.stored(feature)
                var slot = Int(truncatingIfNeeded: key) & (capacity - 1)
                while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & (capacity - 1) }
                keys[slot] = key
                if pass == 0 { rows[slot].0 = Int32(row) } else { rows[slot].1 = Int32(row) }
            }
        }
        self.keys = keys
        self.rows = rows
        mask = capacity - 1
    }

    /// 0 marks an empty slot; a feature hashing to 0 is stored as 1.
    @inline(__always)
    private static func stored(_ feature: UInt64) -> UInt64 { feature == 0 ? 1 : feature }

    /// The rows of a feature in both tables, if either has it.
    @inline(__always)
    func rows(_ feature: UInt64) -> (first: Int32, second: Int32)? {
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

    /// The row of a feature in the first table.
    @inline(__always)
    func row(_ feature: UInt64) -> Int32? {
        guard let row = rows(feature)?.first, row >= 0 else { return nil }
        return row
    }
}
