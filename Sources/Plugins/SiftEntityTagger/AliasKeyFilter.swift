/// A quick test of whether a name could be one of the model's abbreviations
/// (``EntityModel/aliases``), from hashes of the keys' words: the exact test canonicalises the
/// name and hashes it as an Arabic string, and almost no name the tagger finds is an
/// abbreviation. It never says no to a name whose key is there.
struct AliasKeyFilter: Sendable {
    /// ``EntityLexicon/wordHash(_:)`` of the last word of every key of more than one word: the
    /// last word of a name is only folded, never stripped of clitics.
    private var lastWords: Set<UInt64> = []
    /// ``suffixHash(_:)`` of every key of one word, without a leading article: what a word's
    /// canonical form keeps of it is a suffix of it, with the article sometimes put back
    /// (``EntityCanonicalizer/canonicalWords(_:)``: `وللحكومة` → `الحكومة`).
    private var singleWords: Set<UInt64> = []

    /// The UTF-8 of the article ال.
    private static let article: [UInt8] = Array("ال".utf8)

    init(keys: some Sequence<String>) {
        for key in keys {
            let words = key.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            if words.count > 1 {
                lastWords.insert(EntityLexicon.wordHash(String(decoding: words.last!, as: UTF8.self)))
            } else {
                let bytes = Array(key.utf8)
                singleWords.insert(Self.suffixHash(bytes.starts(with: Self.article) ? bytes.dropFirst(Self.article.count) : bytes[...]))
            }
        }
    }

    /// Whether the name of `words` (as the tokens are written) may have its key among the aliases.
    func mayMatch(_ words: ArraySlice<String>) -> Bool {
        guard let last = words.last else { return false }
        return mayMatch(lastWord: EntityLexicon.fold(last), wordCount: words.count)
    }

    /// Whether a key of words already folded (``EntityCanonicalizer/key(_:)``, split at its
    /// spaces) may be among the aliases.
    func mayMatch(foldedWords words: some BidirectionalCollection<String>) -> Bool {
        guard let last = words.last else { return false }
        return mayMatch(lastWord: last, wordCount: words.count)
    }

    private func mayMatch(lastWord folded: String, wordCount: Int) -> Bool {
        // A word that folds to several (a ligature of words) is left to the exact test.
        if folded.utf8.contains(UInt8(ascii: " ")) { return true }
        if wordCount > 1 { return lastWords.contains(EntityLexicon.wordHash(folded)) }
        // Every suffix's hash, from the end.
        var hash: UInt64 = 0
        var power: UInt64 = 1
        for byte in folded.utf8.reversed() {
            hash &+= UInt64(byte) &* power
            power &*= Self.base
            if singleWords.contains(hash) { return true }
        }
        return singleWords.contains(0)
    }

    private static let base: UInt64 = 0x100_0000_01B3

    /// A hash of bytes that can be worked out for every suffix of a word in one pass from its end.
    static func suffixHash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0
        var power: UInt64 = 1
        for byte in bytes.reversed() {
            hash &+= UInt64(byte) &* power
            power &*= base
        }
        return hash
    }
}
