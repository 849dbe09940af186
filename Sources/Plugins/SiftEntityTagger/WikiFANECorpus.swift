/// WikiFANE Gold (Alotaibi and Lee, COLING 2014; CC BY-SA 3.0), read as the tagger's data:
/// Arabic Wikipedia in 50 fine classes, mapped to the tagger's four types, its split-off clitics
/// joined back to their words.
///
/// The file is `token<TAB>TAG` lines (IOB2 with fine classes), CRLF line ends, a byte-order mark
/// and a left-to-right mark before most tokens, and a line with an empty token between
/// sentences. Its text was segmented in the manner of the Penn Arabic Treebank: the conjunctions
/// و and ف, the prepositions ب، ل، ك and the pronoun suffixes (ه، ها، هم …) stand as tokens of
/// their own, where the tagger reads the words as news writes them (وليبيا، عاصمتها). They are
/// joined back: a proclitic to the word after it, a suffix to the word before it (ة becomes ت
/// before a suffix, ل before the article drops the article's alef: ل + المناورة = للمناورة).
/// The joined token takes the tag of the word it joins.
public enum WikiFANECorpus {
    /// Each fine class's type in the tagger's tag set (``EntityTagSet/types``); a class not
    /// listed is read as outside any name.
    ///
    /// People's classes are PERS; places, states and facilities (buildings, streets, airports),
    /// which ANERcorp tags as places, are LOC; organisations of every kind are ORG; products,
    /// vehicles, weapons and works are MISC. `Group` (peoples, dynasties, denominations: الفرس،
    /// المغول، الأرثوذكس) is outside: ANERcorp leaves such words untagged (العرب 77 times O in its
    /// training part).
    public static let types: [String: String] = {
        var types: [String: String] = [:]
        let classes: [(type: String, classes: [String])] = [
            (
                "PERS",
                [
                    "Politician", "Athlete", "Businessperson", "Artist", "Scientist", "Police", "Religious_PER", "Engineer",
                    "Lawyer", "Other_PER",
                ]
            ),
            (
                "LOC",
                [
                    "Nation", "Population-Center", "State-or-Province", "County-or-District", "GPE-Cluster", "Continent",
                    "Water-Body", "Land-Region-Natural", "Celestial", "Building-Grounds", "Path", "Airport", "Subarea-Facility",
                ]
            ),
            (
                "ORG",
                [
                    "Government", "Commercial", "Educational", "Media", "Religious_ORG", "Sports", "Non-Governmental",
                    "Entertainment", "Medical-Science",
                ]
            ),
            (
                "MISC",
                [
                    "Air", "Water", "Land", "Projectile", "Shooting", "Blunt", "Sharp", "Exploding", "Nuclear", "Chemical",
                    "Biological", "Book", "Movie", "Sound", "Software", "Hardware", "Food", "Drug", "Plant",
                ]
            ),
        ]
        for (type, fine) in classes {
            for name in fine { types[name] = type }
        }
        return types
    }()

    /// Conjunctions and prepositions written on the next word.
    static let proclitics: Set<String> = ["و", "ف", "ب", "ل", "ك"]
    /// Pronoun suffixes written on the word before.
    static let suffixes: Set<String> = ["ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ني", "ي"]

    /// The sentences of the corpus file's text.
    /// - Throws: ``EntityModelError`` (`.malformed`) naming the line of an entry without a tag or
    ///   with a tag that is not `O`, `B-class` or `I-class`.
    public static func sentences(_ text: String) throws -> [LabeledSentence] {
        var sentences: [LabeledSentence] = []
        var tokens: [String] = []
        var tags: [Int] = []
        func close() {
            if !tokens.isEmpty { sentences.append(LabeledSentence(tokens: tokens, tags: tags)) }
            tokens = []
            tags = []
        }
        // Lines split at the byte: "\r\n" is one character, so a split by characters finds no "\n".
        for (number, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = Substring(line).split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            let token = cleaned(fields[0])
            if token.isEmpty {
                close()
                continue
            }
            let label = fields.count == 2 ? cleaned(fields[1]) : ""
            guard let tag = tag(of: label) else {
                throw EntityModelError(.malformed, "line \(number + 1): expected 'token<TAB>TAG' with O, B-class or I-class, got '\(line)'")
            }
            tokens.append(token)
            tags.append(tag)
        }
        close()
        return sentences.map(joiningClitics)
    }

    /// A token without the marks around it (byte-order and directional marks, spaces, CR).
    static func cleaned(_ token: Substring) -> String {
        String(String.UnicodeScalarView(token.unicodeScalars.filter { !isMark($0) }))
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x0D, 0xFEFF, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The tagger's tag of a WikiFANE tag (`B-Politician` → `B-PERS`, a class outside the map → `O`);
    /// `nil` for a malformed tag.
    static func tag(of label: String) -> Int? {
        if label == "O" { return EntityTagSet.outside }
        guard label.hasPrefix("B-") || label.hasPrefix("I-"), label.count > 2 else { return nil }
        guard let type = types[String(label.dropFirst(2))] else { return EntityTagSet.outside }
        return EntityTagSet.index(of: String(label.prefix(2)) + type)
    }

    /// A sentence with its proclitics joined to the word after them and its suffixes to the word
    /// before them, as news writes them.
    static func joiningClitics(_ sentence: LabeledSentence) -> LabeledSentence {
        var joined = LabeledSentence(tokens: [], tags: [])
        // Proclitics waiting for their word (at most two: وب، فل), and the first one's tag.
        var pending = ""
        var pendingTag = EntityTagSet.outside
        for (index, (token, tag)) in zip(sentence.tokens, sentence.tags).enumerated() {
            // ك is "like" before a word (ك ما: كما) and "your" after one (الجرافي ك ،: الجرافيك).
            let beforeWord = index + 1 < sentence.tokens.count && isArabicWord(sentence.tokens[index + 1])
            if proclitics.contains(token), pending.count < 2, token != "ك" || beforeWord {
                if pending.isEmpty { pendingTag = tag }
                pending += token
                continue
            }
            if pending.isEmpty, suffixes.contains(token), let last = joined.tokens.last, isArabicWord(last),
                !proclitics.contains(last)
            {
                joined.tokens[joined.tokens.count - 1] = attaching(suffix: token, to: last)
                continue
            }
            if !pending.isEmpty {
                if isArabicWord(token) {
                    joined.tokens.append(attaching(proclitics: pending, to: token))
                    // A name that began at the proclitic begins at the joined word.
                    joined.tags.append(EntityTagSet.isBegin(pendingTag) && tag == pendingTag + 1 ? pendingTag : tag)
                    pending = ""
                    continue
                }
                // Before a number or punctuation a proclitic stays a word of its own.
                for clitic in pending {
                    joined.tokens.append(String(clitic))
                    joined.tags.append(EntityTagSet.outside)
                }
                pending = ""
            }
            joined.tokens.append(token)
            joined.tags.append(tag)
        }
        for clitic in pending {
            joined.tokens.append(String(clitic))
            joined.tags.append(EntityTagSet.outside)
        }
        return joined
    }

    /// Whether a token is made of Arabic letters (and marks) only.
    static func isArabicWord(_ token: String) -> Bool {
        !token.isEmpty && token.unicodeScalars.allSatisfy { (0x0621...0x065F).contains($0.value) || (0x0670...0x06D3).contains($0.value) }
    }

    /// `proclitics` written on `word`: ل before the article takes the article's alef's place.
    static func attaching(proclitics: String, to word: String) -> String {
        if proclitics.hasSuffix("ل"), word.hasPrefix("ال") { return proclitics + word.dropFirst() }
        return proclitics + word
    }

    /// `suffix` written on `word`: a final ة becomes ت (عاصمتها), a final ى becomes ي (عليه), and
    /// the silent alef after a plural verb's و is dropped (قتلوه).
    static func attaching(suffix: String, to word: String) -> String {
        if word.hasSuffix("ة") { return word.dropLast() + "ت" + suffix }
        if word.hasSuffix("ى") { return word.dropLast() + "ي" + suffix }
        if word.hasSuffix("وا"), word.count > 3 { return word.dropLast() + suffix }
        return word + suffix
    }
}
