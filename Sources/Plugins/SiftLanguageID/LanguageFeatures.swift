/// The features of the language model, shared by training and detection: the words of a text
/// (runs of letters folded by a ``LanguageScalarTable``; URLs, e-mail addresses and @mentions
/// left out), and for each word its letters, its character n-grams of orders 3 and 4 over the word
/// padded with boundary marks (`_word_`), and the whole word. (No letter pairs: they add
/// nothing the longer n-grams do not already say, and would cost time on every word.)
public enum LanguageFeatures {
    /// The longest n-gram.
    public static let maximumOrder = 4
    /// The feature kinds: n-gram orders 1, 3 and 4, and 0 for the whole word (kind 2 is unused).
    public static let kinds = 0...maximumOrder
    /// Longer runs of letters (scripts written without spaces) are cut into words of this length.
    static let maximumWordLength = 40
    // Small enough for the stack (temporary allocations up to 1 KiB never touch the heap).
    private static let chunkCapacity = 256
    static let boundaryMark: UInt32 = 0x5F

    /// The words of `text`, folded.
    public static func words(of text: String, table: LanguageScalarTable) -> [[UInt32]] {
        var words: [[UInt32]] = []
        forEachWord(in: text, table: table) {
            words.append(Array($0))
            return true
        }
        return words
    }

    /// Calls `body` with each word of `text`, folded, until it returns false.
    ///
    /// Words are handed over a whitespace-separated chunk at a time, so that a chunk that turns
    /// out to be a URL, an e-mail address or a mention can be dropped whole.
    public static func forEachWord(in text: String, table: LanguageScalarTable, _ body: (UnsafeBufferPointer<UInt32>) -> Bool) {
        var text = text
        text.makeContiguousUTF8()
        _ = text.utf8.withContiguousStorageIfAvailable { bytes in
            table.entries.withUnsafeBufferPointer { entries in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: chunkCapacity) { letters in
                    withUnsafeTemporaryAllocation(of: UInt16.self, capacity: chunkCapacity) { ends in
                        scan(bytes, table: table, entries: entries, letters: letters, ends: ends, body)
                    }
                }
            }
        }
    }

    private static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, table: LanguageScalarTable, entries: UnsafeBufferPointer<UInt32>,
        letters: UnsafeMutableBufferPointer<UInt32>, ends: UnsafeMutableBufferPointer<UInt16>,
        _ body: (UnsafeBufferPointer<UInt32>) -> Bool
    ) {
        var letterCount = 0  // letters in the chunk so far
        var wordCount = 0  // finished words in the chunk
        var wordStart = 0  // where the current word's letters begin
        var chunkStart = 0  // byte offset of the chunk
        var dropChunk = false  // the chunk is a URL, an address or a mention
        var sawAt = false
        var stopped = false

        func finishWord() {
            if letterCount > wordStart {
                ends[wordCount] = UInt16(letterCount)
                wordCount += 1
                wordStart = letterCount
            }
        }
        func flushChunk() {
            finishWord()
            if !dropChunk {
                var start = 0
                for index in 0..<wordCount where !stopped {
                    let word = UnsafeBufferPointer(rebasing: letters[start..<Int(ends[index])])
                    if !body(word) { stopped = true }
                    start = Int(ends[index])
                }
            }
            letterCount = 0
            wordCount = 0
            wordStart = 0
        }
        func append(_ letter: UInt32) {
            if letterCount - wordStart == maximumWordLength { finishWord() }
            if letterCount == chunkCapacity || wordCount == chunkCapacity - 1 {
                // A very long chunk: hand over what there is and go on.
                flushChunk()
            }
            letters[letterCount] = letter
            letterCount += 1
        }

        var index = 0
        let count = bytes.count
        while index < count, !stopped {
            let first = bytes[index]
            if first < 0x80 {
                switch first {
                case 0x41...0x5A, 0x61...0x7A:
                    append(UInt32(first | 0x20))
                case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                    flushChunk()
                    chunkStart = index + 1
                    dropChunk = false
                    sawAt = false
                case 0x40:  // @
                    if index == chunkStart { dropChunk = true }
                    sawAt = true
                    finishWord()
                case 0x2E:  // .
                    if sawAt { dropChunk = true }
                    if index - chunkStart == 3, bytes[chunkStart] | 0x20 == 0x77, bytes[chunkStart + 1] | 0x20 == 0x77,
                        bytes[chunkStart + 2] | 0x20 == 0x77
                    {
                        dropChunk = true
                    }
                    finishWord()
                case 0x3A:  // :
                    if index + 2 < count, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F { dropChunk = true }
                    finishWord()
                case 0x27:  // apostrophe: joins
                    break
                default:
                    finishWord()
                }
                index += 1
                continue
            }
            var value: UInt32
            if first < 0xE0 {
                value = UInt32(first & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                index += 2
            } else if first < 0xF0 {
                value = UInt32(first & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                index += 3
            } else {
                value =
                    UInt32(first & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                    | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
                index += 4
            }
            if value == 0xA0 || value == 0x3000 || (0x2000...0x200A).contains(value) || value == 0x2028 || value == 0x2029 {
                flushChunk()
                chunkStart = index
                dropChunk = false
                sawAt = false
                continue
            }
            if value < 0x1_0000 {
                let entry = entries[Int(value)]
                if entry == LanguageScalarTable.boundary {
                    finishWord()
                } else if entry == LanguageScalarTable.skip {
                    continue
                } else if entry & LanguageScalarTable.expansionFlag == 0 {
                    append(entry)
                } else {
                    _ = table.forEachLetter(of: value, append)
                }
            } else if !table.forEachLetter(of: value, append) {
                finishWord()
            }
        }
        if !stopped { flushChunk() }
    }

    /// Calls `body` with the hash and kind of every feature of a folded word.
    @inline(__always)
    public static func forEachFeature(of word: UnsafeBufferPointer<UInt32>, _ body: (UInt32, Int) -> Void) {
        let count = word.count + 2
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { padded in
            padded[0] = boundaryMark
            for index in 0..<word.count { padded[index + 1] = word[index] }
            padded[count - 1] = boundaryMark
            // One FNV-1a chain per start position: its values after 1, 3 and 4 letters are the
            // hashes of those n-grams (half the multiplications of hashing each n-gram afresh).
            for start in 0..<count {
                var hash: UInt32 = 2_166_136_261
                let first = padded[start]
                hash = (hash ^ first) &* 16_777_619
                // A lone boundary mark says nothing.
                if first != boundaryMark { body(hash == 0 ? 1 : hash, 1) }
                guard start + 3 <= count else { continue }
                hash = (hash ^ padded[start + 1]) &* 16_777_619
                hash = (hash ^ padded[start + 2]) &* 16_777_619
                body(hash == 0 ? 1 : hash, 3)
                guard start + 4 <= count else { continue }
                hash = (hash ^ padded[start + 3]) &* 16_777_619
                body(hash == 0 ? 1 : hash, 4)
            }
        }
        var hash: UInt32 = 0x811C_9DC5 ^ 0xA5A5_A5A5
        for scalar in word { hash = (hash ^ scalar) &* 16_777_619 }
        body(hash == 0 ? 1 : hash, 0)
    }
}
