/// Words read from a text and not yet added to the evidence: their folded letters side by side,
/// their keys for the ``WordEvidenceCache``, and which of them the cache did not know.
///
/// Memory it does not own: ``LanguageDetector/evidence(of:upTo:)`` lends it for one reading.
struct WordBlock {
    /// The most words in a block.
    static let capacity = 128
    /// The most letters (the block is full when the next word might not fit).
    static let letterCapacity = 2048
    /// The bytes a block needs, for ``init(memory:)`` (a multiple of 16: what follows it stays aligned).
    static let byteCount =
        (letterCapacity * MemoryLayout<UInt32>.stride + capacity * MemoryLayout<UInt64>.stride
            + (capacity + 1) * MemoryLayout<Int32>.stride + capacity * MemoryLayout<Int32>.stride + 15) & ~15

    private let letters: UnsafeMutablePointer<UInt32>
    private let keys: UnsafeMutablePointer<UInt64>
    /// Word `i`'s letters are `letters[ends[i - 1]..<ends[i]]` (with `ends[-1]` = 0).
    private let ends: UnsafeMutablePointer<Int32>
    private let missing: UnsafeMutablePointer<Int32>
    /// The words in the block.
    private(set) var count = 0
    /// How many words the cache did not know, after ``markMissing(_:)``.
    private(set) var missingCount = 0

    /// A block over `memory` (at least ``byteCount`` bytes, aligned for `UInt64`).
    init(memory: UnsafeMutableRawPointer) {
        keys = memory.bindMemory(to: UInt64.self, capacity: Self.capacity)
        let afterKeys = memory + Self.capacity * MemoryLayout<UInt64>.stride
        letters = afterKeys.bindMemory(to: UInt32.self, capacity: Self.letterCapacity)
        let afterLetters = afterKeys + Self.letterCapacity * MemoryLayout<UInt32>.stride
        ends = afterLetters.bindMemory(to: Int32.self, capacity: Self.capacity + 1)
        missing = (afterLetters + (Self.capacity + 1) * MemoryLayout<Int32>.stride).bindMemory(
            to: Int32.self, capacity: Self.capacity)
    }

    /// Whether another word might not fit.
    var isFull: Bool {
        count == Self.capacity || (count > 0 && Int(ends[count - 1]) + LanguageFeatures.maximumWordLength > Self.letterCapacity)
    }

    /// Adds a word (at most ``LanguageFeatures/maximumWordLength`` letters).
    mutating func append(_ word: UnsafeBufferPointer<UInt32>) {
        // FNV-1a over the letters, then a finaliser: the cache's table wants every bit mixed.
        // The cache compares the letters, so a collision costs a look-up, never a wrong answer.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(word.count)
        for letter in word { hash = (hash ^ UInt64(letter)) &* 0x0000_0100_0000_01B3 }
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        append(word, key: hash)
    }

    /// Adds a word under a given key (tests make keys collide with it).
    mutating func append(_ word: UnsafeBufferPointer<UInt32>, key: UInt64) {
        let start = count == 0 ? 0 : Int(ends[count - 1])
        for (offset, letter) in word.enumerated() { letters[start + offset] = letter }
        keys[count] = key
        ends[count] = Int32(start + word.count)
        count += 1
    }

    /// Empties the block.
    mutating func removeAll() {
        count = 0
        missingCount = 0
    }

    /// The letters of word `index`.
    func word(_ index: Int) -> UnsafeBufferPointer<UInt32> {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return UnsafeBufferPointer(start: letters + start, count: Int(ends[index]) - start)
    }

    /// The cache key of word `index`.
    func key(_ index: Int) -> UInt64 { keys[index] }

    /// Notes that the cache did not know word `index` (called in increasing order).
    mutating func markMissing(_ index: Int) {
        missing[missingCount] = Int32(index)
        missingCount += 1
    }

    /// The index of the `rank`-th word the cache did not know.
    func missingWord(_ rank: Int) -> Int { Int(missing[rank]) }
}
