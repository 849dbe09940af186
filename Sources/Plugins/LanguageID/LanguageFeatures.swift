import SiftTextToolkit

/// The features of the language model, shared by training and detection: character n-grams of
/// orders 1 to 4 over a word padded with boundary marks (`_word_`), and the whole word.
///
/// Words are normalised lightly: lower case, Arabic diacritics and tatweel removed, nothing else
/// (alef forms, ی, ک and ے are exactly what tells Arabic, Persian and Urdu apart).
public enum LanguageFeatures {
    /// The longest n-gram.
    public static let maximumOrder = 4
    /// The feature kinds: n-gram orders 1...4, and 0 for the whole word.
    public static let kinds = 0...maximumOrder

    private static let normalizer = ArabicNormalizer(options: [.removeDiacritics, .removeTatweel, .lowercase, .compatibility])

    /// The words of a text worth classifying: word tokens with at least one letter, normalised.
    public static func words(of text: String) -> [[Unicode.Scalar]] {
        Tokenizer().tokenize(text).compactMap { token in
            guard token.kind == .word || token.kind == .hashtag else { return nil }
            let scalars = normalizer.normalize(token.kind == .hashtag ? String(token.text.dropFirst()) : token.text).scalars
                .filter(isAlphabetic)
            return scalars.isEmpty ? nil : scalars
        }
    }

    /// A word as written in a word list, normalised the same way.
    public static func normalizedWord(_ word: String) -> [Unicode.Scalar] {
        normalizer.normalize(word).scalars.filter(isAlphabetic)
    }

    @inline(__always)
    static func isAlphabetic(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        if (0x0620...0x064A).contains(value) || (0x066E...0x06D3).contains(value) { return true }
        return scalar.properties.isAlphabetic
    }

    /// Calls `body` with the hash and kind of every feature of a normalised word.
    @inline(__always)
    public static func forEachFeature(of word: [Unicode.Scalar], _ body: (UInt32, Int) -> Void) {
        let count = word.count + 2
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { padded in
            padded[0] = 0x5F
            for (index, scalar) in word.enumerated() { padded[index + 1] = scalar.value }
            padded[count - 1] = 0x5F
            for order in 1...maximumOrder where order <= count {
                for start in 0...(count - order) {
                    // A lone boundary mark says nothing.
                    if order == 1, padded[start] == 0x5F { continue }
                    var hash: UInt32 = 2_166_136_261 &+ UInt32(order) &* 16_777_619
                    for index in start..<(start + order) {
                        hash = (hash ^ padded[index]) &* 16_777_619
                    }
                    body(hash == 0 ? 1 : hash, order)
                }
            }
        }
        var hash: UInt32 = 0x811C_9DC5 ^ 0xA5A5_A5A5
        for scalar in word { hash = (hash ^ scalar.value) &* 16_777_619 }
        body(hash == 0 ? 1 : hash, 0)
    }
}
