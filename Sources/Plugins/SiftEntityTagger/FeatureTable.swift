/// Row numbers of the model's features: an open-addressed table keyed by the features' 64-bit
/// hashes, which are already well mixed — no second hash as a Swift `Dictionary` would compute.
/// It holds the rows of two passes, so that a feature both score is found with one probe, and
/// each slot keeps its key and rows together: one cache line read per probe.
struct FeatureTable: Sendable {
    private struct Slot {
        var key: UInt64
        /// The row in the first and in the second pass (-1: not there).
        var first: Int32
        var second: Int32
    }

    private let slots: [Slot]
    private let mask: Int

    /// Builds the table from the features of one or two passes, each listed in row order.
    init(first: [UInt64], second: [UInt64] = []) {
        // At most two thirds full even when the passes share no feature.
        var capacity = 16
        while capacity * 2 < (first.count + second.count) * 3 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(key: 0, first: -1, second: -1), count: capacity)
        for (pass, features) in [first, second].enumerated() {
            for (row, feature) in features.enumerated() {
                let key = Self.stored(feature)
                var slot = Int(truncatingIfNeeded: key) & (capacity - 1)
                while slots[slot].key != 0 && slots[slot].key != key { slot = (slot + 1) & (capacity - 1) }
                slots[slot].key = key
                if pass == 0 { slots[slot].first = Int32(row) } else { slots[slot].second = Int32(row) }
            }
        }
        self.slots = slots
        mask = capacity - 1
    }

    /// 0 marks an empty slot; a feature hashing to 0 is stored as 1.
    @inline(__always)
    private static func stored(_ feature: UInt64) -> UInt64 { feature == 0 ? 1 : feature }

    /// The rows of a feature in both tables, if either has it.
    @inline(__always)
    func rows(_ feature: UInt64) -> (first: Int32, second: Int32)? {
        let key = Self.stored(feature)
        return slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let stored = slots[slot]
                if stored.key == key { return (stored.first, stored.second) }
                if stored.key == 0 { return nil }
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
