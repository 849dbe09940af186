import SiftTextToolkit

/// Canonical forms of names: proclitics removed from the first word (`لليبيا` → `ليبيا`,
/// `وطرابلس` → `طرابلس`, `للأمم المتحدة` → `الأمم المتحدة`), and a key under which spelling
/// variants meet (`فائز السراج` / `فايز السراج`, `الأمم` / `الامم`).
public struct EntityCanonicalizer: Sendable {
    /// Whether a word (folded, see ``EntityLexicon/fold(_:)``) is known to stand on its own:
    /// a gazetteer entry, a word of the word classes, another mention of the document.
    public var isKnownWord: @Sendable (String) -> Bool

    private static let clitics = ArabicClitics()

    /// Creates a canonicalizer.
    public init(isKnownWord: @escaping @Sendable (String) -> Bool) {
        self.isKnownWord = isKnownWord
    }

    /// The name's words with proclitics removed from the first.
    ///
    /// A reading that strips a preposition or conjunction is taken when its stem is a known word
    /// (or, with the article, a known word once the article is dropped); the article itself
    /// stays, being part of names such as الجزائر or السراج.
    public func canonicalWords(_ words: [String]) -> [String] {
        guard let first = words.first else { return [] }
        var result = words
        var fallback: String?
        // A stem of one letter after the article is no word (وكالة is not و + ك + الة).
        for reading in Self.clitics.segmentations(first)
        where reading.prefixes.contains(where: { $0 != "ال" }) && Self.bareLength(reading.stem) >= 2 {
            let stem = reading.isDefinite ? "ال" + reading.stem : reading.stem
            if isKnownWord(EntityLexicon.fold(stem)) || (reading.isDefinite && isKnownWord(EntityLexicon.fold(reading.stem))) {
                result[0] = stem
                return result
            }
            // A preposition or conjunction before the article is unambiguous (بال…، وال…):
            // stripped even when the name is unknown, unless a known reading turns up.
            if reading.isDefinite, fallback == nil { fallback = stem }
        }
        if let fallback { result[0] = fallback }
        return result
    }

    /// The letters of a stem without a leading article.
    static func bareLength(_ stem: String) -> Int {
        stem.unicodeScalars.count - (stem.hasPrefix("ال") ? 2 : 0)
    }

    /// The canonical form of a name as one string.
    public func canonical(_ words: [String]) -> String {
        canonicalWords(words).joined(separator: " ")
    }

    /// The key under which spellings of one name meet: folded as the tagger folds words (alef
    /// forms, alef maqsura, taa marbuta, hamza seats, diacritics, case).
    public static func key(_ canonical: String) -> String {
        EntityLexicon.fold(canonical)
    }
}
