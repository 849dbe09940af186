/// Room for a ``LanguageDetector`` to score a batch of words the ``WordEvidenceCache`` did not
/// know: their features, and per word a row of gains that becomes its shares.
///
/// Memory it does not own: ``LanguageDetector/evidence(of:upTo:)`` lends it for one reading.
struct ScoringBuffers {
    /// The most features in a batch.
    static let featureCapacity = 256
    /// The most words in a batch.
    static let wordCapacity = 16

    /// The bytes needed for a model of `languageCount` languages, for ``init(memory:languageCount:)``.
    static func byteCount(languageCount: Int) -> Int {
        wordCapacity * languageCount * MemoryLayout<UInt64>.stride
            + (2 * featureCapacity + 4 * wordCapacity * languageCount + wordCapacity) * MemoryLayout<UInt32>.stride
            + 2 * featureCapacity
    }

    /// Per feature: its hash, its postings (after the look-up), its kind, its word's row.
    let hashes: UnsafeMutablePointer<UInt32>
    let offsets: UnsafeMutablePointer<UInt32>
    let kinds: UnsafeMutablePointer<UInt8>
    let rows: UnsafeMutablePointer<UInt8>
    /// Per word, four runs of one value per language: the gains of its n-grams, the gain of the
    /// whole word, its letters listed and its letter triples listed.
    let gains: UnsafeMutablePointer<Int32>
    /// The words' shares (``WordEvidenceCache/Share/bits``), one after the other; word `i`'s
    /// end at `shareEnds[i]`.
    let shares: UnsafeMutablePointer<UInt64>
    let shareEnds: UnsafeMutablePointer<Int32>

    /// Buffers over `memory` (at least ``byteCount(languageCount:)`` bytes, aligned for `UInt64`).
    init(memory: UnsafeMutableRawPointer, languageCount: Int) {
        var next = memory
        func carve<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
            let pointer = next.bindMemory(to: type, capacity: count)
            next += count * MemoryLayout<T>.stride
            return pointer
        }
        shares = carve(UInt64.self, Self.wordCapacity * languageCount)
        hashes = carve(UInt32.self, Self.featureCapacity)
        offsets = carve(UInt32.self, Self.featureCapacity)
        gains = carve(Int32.self, 4 * Self.wordCapacity * languageCount)
        shareEnds = carve(Int32.self, Self.wordCapacity)
        kinds = carve(UInt8.self, Self.featureCapacity)
        rows = carve(UInt8.self, Self.featureCapacity)
    }
}
