/// Light stemming for matching words that share a stem, not for linguistics: affixes are cut,
/// roots are not sought.
///
/// - Arabic (ISRI-style, on normalised words: alef forms, alef maqsura and taa marbuta folded,
///   no diacritics): the article with its proclitics (`وال`, `بال`, `كال`, `فال`, `لل`, `ال`),
///   a leading conjunction `و`, then the longest of the common suffixes (plural, dual and
///   pronoun endings: `ات ون ين ان ها هم هن كم نا ية ه ي`), keeping at least three letters.
/// - English and French: plural and a few inflectional endings (`-ies`, `-es`, `-s`, `-ing`,
///   `-ed`, `-ly`; `-aux`, `-eaux`, `-s`, `-x`, `-ment`, `-es`, `-e`), keeping at least three letters.
/// - Other languages: the word unchanged.
public struct LightStemmer: Sendable {
    /// The language's ISO 639-1 code.
    public let language: String

    /// Creates a stemmer for a language.
    public init(language: String) {
        self.language = language
    }

    /// The stem of a normalised, lower-case word.
    public func stem(_ word: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        switch language {
        case "ar", "fa", "ur": Self.arabic(word)
        case "en": Self.cut(word, suffixes: Self.englishSuffixes)
        case "fr": Self.cut(word, suffixes: Self.frenchSuffixes)
        default: word
        }
    }

    /// The stem of a word, as a string (for tests and tools).
    public func stem(_ word: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: stem(Array(word.unicodeScalars)[...]))
        return String(view)
    }

    static let minimumLength = 3

    static let arabicPrefixes: [[Unicode.Scalar]] = ["وبال", "وكال", "وال", "بال", "كال", "فال", "ولل", "لل", "ال"].map { Array($0.unicodeScalars) }
    static let arabicSuffixes: [[Unicode.Scalar]] = ["تها", "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ي"].map {
        Array($0.unicodeScalars)
    }
    static let englishSuffixes: [[Unicode.Scalar]] = ["ies", "ing", "es", "ed", "ly", "s"].map { Array($0.unicodeScalars) }
    static let frenchSuffixes: [[Unicode.Scalar]] = ["eaux", "ment", "aux", "es", "s", "x", "e"].map { Array($0.unicodeScalars) }

    static func arabic(_ word: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var stem = word
        // Words without a و, ب, ك, ف or ل + ال start have no prefix to lose but و: most words skip the list.
        if stem.count > 2, let first = stem.first, first == "و" || first == "ب" || first == "ك" || first == "ف" || first == "ل" || first == "ا",
            let prefix = arabicPrefixes.first(where: { stem.starts(with: $0) && stem.count - $0.count >= minimumLength })
        {
            stem = stem.dropFirst(prefix.count)
        } else if stem.first == "و", stem.count - 1 > minimumLength {
            stem = stem.dropFirst()
        }
        return cut(stem, suffixes: arabicSuffixes)
    }

    /// Drops the first (longest listed first) suffix that leaves enough letters.
    static func cut(_ word: ArraySlice<Unicode.Scalar>, suffixes: [[Unicode.Scalar]]) -> ArraySlice<Unicode.Scalar> {
        for suffix in suffixes where word.count - suffix.count >= minimumLength && word.reversed().starts(with: suffix.reversed()) {
            return word.dropLast(suffix.count)
        }
        return word
    }
}
