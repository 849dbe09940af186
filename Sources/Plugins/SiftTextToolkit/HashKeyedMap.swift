/// A map from 64-bit hashes (already well mixed) to values: open addressing, linear probing,
/// no second hash — Swift's `Dictionary` runs SipHash over every key, which showed in profiles.
public struct HashKeyedMap<Value>: @unchecked Sendable {
    @usableFromInline var keys: [UInt64]
    @usableFromInline var values: [Value?]
    @usableFromInline var storedCount = 0
    /// The number of keys.
    @inlinable public var count: Int { storedCount }

    /// Creates an empty map with room for `capacity` entries before it grows.
    @inlinable
    public init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
    }

    /// 0 marks an empty slot; a key of 0 is stored as 1.
    @inlinable @inline(__always)
    static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    @inlinable @inline(__always)
    func slot(of key: UInt64) -> Int {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
        while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    /// The value of a key, or sets it (a `nil` value leaves the map as it is: removal is never needed).
    @inlinable
    public subscript(key: UInt64) -> Value? {
        get {
            let key = Self.stored(key)
            let slot = slot(of: key)
            return keys[slot] == key ? values[slot] : nil
        }
        set {
            guard let newValue else { return }
            let key = Self.stored(key)
            var slot = slot(of: key)
            if keys[slot] != key {
                if (storedCount + 1) * 2 > keys.count {
                    grow()
                    slot = self.slot(of: key)
                }
                keys[slot] = key
                storedCount += 1
            }
            values[slot] = newValue
        }
    }

    /// The value of a key, or `defaultValue` (for `map[key, default: 0] += 1`).
    @inlinable
    public subscript(key: UInt64, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    @usableFromInline
    mutating func grow() {
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
