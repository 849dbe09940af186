/// A map from 64-bit hashes (already well mixed) to values: open addressing, linear probing,
/// no second hash — Swift's `Dictionary` runs SipHash over every key, which showed in profiles.
struct HashKeyedMap<Value>: @unchecked Sendable {
    private var keys: [UInt64]
    private var values: [Value?]
    private(set) var count = 0

    /// Creates an empty map with room for `capacity` entries before it grows.
    init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
    }

    /// 0 marks an empty slot; a key of 0 is stored as 1.
    @inline(__always)
    private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
        while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    /// The value of a key, or sets it.
    subscript(key: UInt64) -> Value? {
        get {
            let key = Self.stored(key)
            let slot = slot(of: key)
            return keys[slot] == key ? values[slot] : nil
        }
        set {
            guard let newValue else { return }  // removal is never needed here
            let key = Self.stored(key)
            var slot = slot(of: key)
            if keys[slot] != key {
                if (count + 1) * 2 > keys.count {
                    grow()
                    slot = self.slot(of: key)
                }
                keys[slot] = key
                count += 1
            }
            values[slot] = newValue
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: nil, count: oldKeys.count * 2)
        for (index, key) in oldKeys.enumerated() where key != 0 {
            let slot = slot(of: key)
            keys[slot] = key
            values[slot] = oldValues[index]
        }
    }
}
