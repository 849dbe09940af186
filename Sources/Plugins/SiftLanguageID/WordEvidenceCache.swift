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
/// bring. A word costs a header, its letters (two to 8 bytes, at most 40) and 8 bytes per
/// language it counts for: about 100 bytes on Arabic news, so that a full cache of 16,384 words
/// holds about 2.5 MB with its table of 32,768 slots (512 KB); at most 16,384 × (168 + 8 ×
/// languages) bytes and the table (twice the records while their array grows). The lock is taken
/// once per block of words read, once more for each batch of words it did not know.
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

    private struct State: ~Copyable {
        /// Two values per slot, in one cache line: a word's key (0: empty) and where its record
        /// starts in ``records``; open addressing, linear probing, at most half full.
        var slots: [UInt64]
        /// Per word: a header (letters in bits 0–7, shares from bit 16), its letters two to a
        /// value, then its shares' bits.
        var records: [UInt64] = []
        var count = 0

        init(slotCount: Int) {
            slots = Array(repeating: 0, count: 2 * slotCount)
        }
    }

    private let state: Mutex<State>
    private let mask: Int

    /// Creates an empty cache holding up to `capacity` words, for a model of `languageCount`
    /// languages (none are kept for models of more than 256).
    init(capacity: Int, languageCount: Int) {
        self.capacity = languageCount <= 256 ? max(capacity, 0) : 0
        var slotCount = 16
        while slotCount < 2 * self.capacity { slotCount <<= 1 }
        mask = slotCount - 1
        state = Mutex(State(slotCount: self.capacity > 0 ? slotCount : 0))
    }

    @inline(__always)
    private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key >> 17) & mask }

    /// Calls `body` with the shares' bits (``Share/bits``) of each word of `block` the cache
    /// knows, in order, under its lock; marks the others missing in `block`.
    ///
    /// In phases, as the model's look-ups: every word's slot, then the records the slots name,
    /// then the shares, so that the memory waits of a phase overlap.
    func lookUp(_ block: inout WordBlock, _ body: (UnsafeBufferPointer<UInt64>) -> Void) {
        guard capacity > 0 else {
            for index in 0..<block.count { block.markMissing(index) }
            return
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: WordBlock.capacity) { found in
            state.withLock { state in
                state.slots.withUnsafeBufferPointer { slots in
                    state.records.withUnsafeBufferPointer { records in
                        var touched: UInt64 = 0
                        for index in 0..<block.count { touched &+= slots[2 * home(block.key(index))] }
                        for index in 0..<block.count {
                            let key = Self.stored(block.key(index))
                            var slot = home(key)
                            while slots[2 * slot] != 0 && slots[2 * slot] != key { slot = (slot + 1) & mask }
                            found[index] = slots[2 * slot] == key ? Int(slots[2 * slot + 1]) : -1
                            if found[index] >= 0 { touched &+= records[found[index]] }
                        }
                        withExtendedLifetime(touched) {}
                        for index in 0..<block.count {
                            let record = found[index]
                            let word = block.word(index)
                            guard record >= 0, Int(records[record] & 0xFF) == word.count else {
                                block.markMissing(index)
                                continue
                            }
                            let letters = record + 1
                            let same = word.indices.allSatisfy { offset in
                                UInt32(truncatingIfNeeded: records[letters + offset / 2] >> (offset & 1 == 0 ? 0 : 32)) == word[offset]
                            }
                            guard same else {
                                block.markMissing(index)
                                continue
                            }
                            let shares = letters + (word.count + 1) / 2
                            body(UnsafeBufferPointer(rebasing: records[shares..<(shares + Int(records[record] >> 16))]))
                        }
                    }
                }
            }
        }
    }

    /// Keeps the shares of the words `block` marks missing with the given ranks: those of the
    /// `ranks.lowerBound + i`-th are `shares[shareEnds[i - 1]..<shareEnds[i]]` (from 0 for `i` = 0).
    func store(_ block: WordBlock, ranks: Range<Int>, shares: UnsafePointer<UInt64>, shareEnds: UnsafePointer<Int32>) {
        guard capacity > 0, !ranks.isEmpty else { return }
        state.withLock { state in
            for rank in 0..<ranks.count {
                let index = block.missingWord(ranks.lowerBound + rank)
                let key = Self.stored(block.key(index))
                if state.count >= capacity {
                    // Full: emptied, to fill again with what texts bring.
                    state.slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                    state.records.removeAll(keepingCapacity: true)
                    state.count = 0
                }
                var slot = home(key)
                while state.slots[2 * slot] != 0 && state.slots[2 * slot] != key { slot = (slot + 1) & mask }
                // A word twice in the block, or a collision: the first stays.
                guard state.slots[2 * slot] == 0 else { continue }
                let start = rank == 0 ? 0 : Int(shareEnds[rank - 1])
                let word = block.word(index)
                state.slots[2 * slot] = key
                state.slots[2 * slot + 1] = UInt64(state.records.count)
                state.records.append(UInt64(word.count) | UInt64(Int(shareEnds[rank]) - start) << 16)
                var offset = 0
                while offset < word.count {
                    let high = offset + 1 < word.count ? UInt64(word[offset + 1]) << 32 : 0
                    state.records.append(UInt64(word[offset]) | high)
                    offset += 2
                }
                state.records.append(contentsOf: UnsafeBufferPointer(start: shares + start, count: Int(shareEnds[rank]) - start))
                state.count += 1
            }
        }
    }
}
