import SiftTextToolkit

/// Reads the words of a text as summarisation and ROUGE compare them: runs of letters, marks
/// and digits, folded (diacritics and tatweel removed; alef forms, alef maqsura and taa marbuta
/// unified; compatibility forms; lower case).
public struct WordScanner: Sendable {
    static let normalizer = ArabicNormalizer(options: ArabicNormalizer.Options.matching.union(.taaMarbutaToHa))

    public init() {}

    /// Calls `body` with each word of `scalars[span]`, folded, in a buffer valid during the call.
    public func forEachWord(in scalars: [Unicode.Scalar], span: TextSpan, _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        forEachWord(in: scalars, span: span) { word -> Bool in
            body(word)
            return true
        }
    }

    /// The same, until `body` returns `false`.
    public func forEachWord(in scalars: [Unicode.Scalar], span: TextSpan, while body: (ArraySlice<Unicode.Scalar>) -> Bool) {
        forEachRun(in: scalars, span: span) { _, word in word.isEmpty || body(word) }
    }

    /// Calls `body` with each run of word scalars in `scalars[span]`: where it stands, and its
    /// folded form (empty for a run of marks alone) in a buffer valid during the call; until
    /// `body` returns `false`.
    public func forEachRun(in scalars: [Unicode.Scalar], span: TextSpan, while body: (TextSpan, ArraySlice<Unicode.Scalar>) -> Bool) {
        let normalizer = Self.normalizer  // a static read in the loop checks its initialisation
        var word: [Unicode.Scalar] = []
        word.reserveCapacity(32)
        var index = span.start
        while index < span.end {
            guard Tokenizer.isWordScalar(scalars[index]) else {
                index += 1
                continue
            }
            let start = index
            word.removeAll(keepingCapacity: true)
            while index < span.end, Tokenizer.isWordScalar(scalars[index]) {
                normalizer.fold(scalars[index], into: &word)
                index += 1
            }
            guard body(TextSpan(start, index), word[...]) else { return }
        }
    }

    /// Whether the folded words of `scalars[span]` have the given keys (``StopWords/key(_:)``),
    /// read no further than the first that differs.
    public func words(of scalars: [Unicode.Scalar], span: TextSpan, haveKeys keys: [UInt64]) -> Bool {
        var count = 0
        var same = true
        forEachWord(in: scalars, span: span) { word -> Bool in
            same = count < keys.count && StopWords.key(word) == keys[count]
            count += 1
            return same
        }
        return same && count == keys.count
    }

    /// The keys (``StopWords/key(_:)``) of the folded words of a text.
    public func keys(of text: String) -> [UInt64] {
        let scalars = Array(text.unicodeScalars)
        var keys: [UInt64] = []
        forEachWord(in: scalars, span: TextSpan(0, scalars.count)) { keys.append(StopWords.key($0)) }
        return keys
    }
}
