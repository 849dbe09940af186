import SiftTextToolkit
import Synchronization

/// What each word adds to a ``LanguageDetector``'s evidence, kept across texts: a word's
/// features and their look-ups in the model (a random read of tables far bigger than the
/// processor's caches for each of some twenty features) depend on nothing but the word, and text
/// repeats its words. A word read before costs one look-up here and a few additions.
///
/// A word's evidence is kept as its shares, one per language it counts for (``Share``), beside
/// its letters (compared on every hit: a hash collision costs a look-up, never a wrong answer).
///
/// Bounded: when it holds ``capacity`` words it is emptied and fills again with what texts
/// bring. A word costs its letters (4 bytes each, at most 40), 8 bytes per language it counts
/// for (three or four for an Arabic word) and about 40 bytes of index: full at 16,384 words of
/// Arabic news it holds about 3 MB, at most 16,384 × (200 + 8 × languages) bytes (twice that
/// while its arrays grow). The lock is taken once per block of words read, once more for each
/// batch of words it did not know.
final class WordEvidenceCache: Sendable {
    /// One language's share of a word's evidence, packed in 64 bits: the language (bits 0–7),
    /// the gain of the whole word (8–15, to be weighted), its letters and letter triples the
    /// language lists (16–23, 24–31), and the summed gains of its n-grams (32–63).
    struct Share {
        let bits: UInt64

        init(bits: UInt64) { self.bits = bits }

        init(language: Int, wordGain: Int32, letters: Int32, trigrams: Int32, ngramGain: Int32) {
            bits =
                UInt64(language) | UInt64(UInt8(truncatingIfNeeded: wordGain)) << 8
                | UInt64(UInt8(truncatingIfNeeded: letters)) << 16 | UInt64(UInt8(truncatingIfNeeded: trigrams)) << 24
                | UInt64(UInt32(bitPattern: ngramGain)) << 32
        }

        var language: Int { Int(bits & 0xFF) }
        var wordGain: Int32 { Int32(bits >> 8 & 0xFF) }
        var letters: Int32 { Int32(bits >> 16 & 0xFF) }
        var trigrams: Int32 { Int32(bits >> 24 & 0xFF) }
        var ngramGain: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: bits >> 32)) }
    }

    /// The most words kept (0: none).
    let capacity: Int

    private struct Entry {
        var letterEnd: Int32
        var shareEnd: Int32
    }

    private struct State: ~Copyable {
        var slots = HashKeyedMap<Int32>()
        /// Word `i`'s letters are `letters[entries[i - 1].letterEnd..<entries[i].letterEnd]`,
        /// its shares likewise.
        var entries: [Entry] = []
        var letters: [UInt32] = []
        var shares: [Share] = []

        mutating func empty(capacity: Int) {
            slots = HashKeyedMap(capacity: capacity)
            entries.removeAll(keepingCapacity: true)
            letters.removeAll(keepingCapacity: true)
            shares.removeAll(keepingCapacity: true)
            entries.reserveCapacity(capacity)
        }
    }

    private let state = Mutex(State())

    /// Creates an empty cache holding up to `capacity` words, for a model of `languageCount`
    /// languages (none are kept for models of more than 256).
    init(capacity: Int, languageCount: Int) {
        self.capacity = languageCount <= 256 ? max(capacity, 0) : 0
    }

    /// Calls `body` with the shares of each word of `block` the cache knows, in order, under its
    /// lock; marks the others missing in `block`.
    func lookUp(_ block: inout WordBlock, _ body: (UnsafeBufferPointer<Share>) -> Void) {
        guard capacity > 0 else {
            for index in 0..<block.count { block.markMissing(index) }
            return
        }
        state.withLock { state in
            state.entries.withUnsafeBufferPointer { entries in
                state.letters.withUnsafeBufferPointer { letters in
                    state.shares.withUnsafeBufferPointer { allShares in
                        for index in 0..<block.count {
                            guard let slot = state.slots[block.key(index)].map(Int.init) else {
                                block.markMissing(index)
                                continue
                            }
                            let letterStart = slot == 0 ? 0 : Int(entries[slot - 1].letterEnd)
                            let word = block.word(index)
                            guard Int(entries[slot].letterEnd) - letterStart == word.count,
                                word.indices.allSatisfy({ letters[letterStart + $0] == word[$0] })
                            else {
                                block.markMissing(index)
                                continue
                            }
                            let shareStart = slot == 0 ? 0 : Int(entries[slot - 1].shareEnd)
                            body(UnsafeBufferPointer(rebasing: allShares[shareStart..<Int(entries[slot].shareEnd)]))
                        }
                    }
                }
            }
        }
    }

    /// Keeps the shares of the words `block` marks missing with the given ranks: those of the
    /// `ranks.lowerBound + i`-th are `shares[shareEnds[i - 1]..<shareEnds[i]]` (from 0 for `i` = 0).
    func store(_ block: WordBlock, ranks: Range<Int>, shares: UnsafePointer<Share>, shareEnds: UnsafePointer<Int32>) {
        guard capacity > 0, !ranks.isEmpty else { return }
        state.withLock { state in
            for rank in 0..<ranks.count {
                let index = block.missingWord(ranks.lowerBound + rank)
                // A word twice in the block, or a collision: the first stays.
                guard state.slots[block.key(index)] == nil else { continue }
                if state.entries.count >= capacity || state.entries.isEmpty { state.empty(capacity: capacity) }
                let start = rank == 0 ? 0 : Int(shareEnds[rank - 1])
                state.slots[block.key(index)] = Int32(state.entries.count)
                state.letters.append(contentsOf: block.word(index))
                state.shares.append(contentsOf: UnsafeBufferPointer(start: shares + start, count: Int(shareEnds[rank]) - start))
                state.entries.append(Entry(letterEnd: Int32(state.letters.count), shareEnd: Int32(state.shares.count)))
            }
        }
    }
}
