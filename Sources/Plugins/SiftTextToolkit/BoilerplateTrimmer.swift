/// Finds the lines of a web-copied article that are not the article: share buttons, comment
/// prompts, related-article headings, navigation.
///
/// Rules rather than a list of known lines: a boilerplate line is short and consists mostly of
/// interface or link vocabulary (in Arabic, English and French), or carries the notice of a
/// comment form, or is a short fragment in the trailing block of such lines at the end of the
/// text. The original text is never changed; ``Result/text`` is the article without those lines,
/// for the plugins that analyse it.
public struct BoilerplateTrimmer: Sendable {
    /// What was found.
    public struct Result: Sendable, Equatable {
        /// The text without the boilerplate lines.
        public var text: String
        /// The boilerplate lines, as spans of the original text.
        public var removed: [TextSpan]
    }

    /// Creates a trimmer.
    public init() {}

    /// Vocabulary of interface text, normalised (alef forms unified, diacritics removed, lower case).
    static let interfacePhrases: [String] = [
        // Arabic
        "اترك تعليقا", "اترك تعليق", "اضف تعليق", "التعليقات", "تعليقات", "تعليق", "مقالات ذات صله", "مقالات ذات صلة",
        "اخبار ذات صله", "اخبار ذات صلة", "مواضيع ذات صلة", "ذات صلة", "زر الذهاب الي الاعلي", "الذهاب الي الاعلي",
        "العوده للاعلي", "شارك", "شارك هذا المقال", "شارك المقال", "مشاركه", "مشاركة", "اقرا ايضا", "اقرا المزيد",
        "المزيد", "تابعنا", "تابعونا", "الاكثر قراءه", "الاكثر قراءة", "الاكثر مشاهده", "طباعه", "طباعة",
        "ارسل لصديق", "الرئيسيه", "الرئيسية", "اشترك", "النشره البريديه", "النشرة البريدية", "اعلان", "فيسبوك",
        "تويتر", "واتساب", "تلغرام", "انستغرام", "يوتيوب", "لينكدان", "نسخ الرابط", "رابط مختصر", "كلمات مفتاحيه",
        "كلمات مفتاحية", "الوسوم", "وسوم", "المصدر", "اغلاق", "اقترح تصحيحا",
        // English
        "share", "share this", "share this article", "tweet", "twitter", "twitter post", "facebook", "whatsapp",
        "telegram", "linkedin", "email", "print", "comments", "comment", "leave a comment", "leave a reply",
        "related", "related articles", "related posts", "related stories", "read more", "read also", "see also",
        "subscribe", "newsletter", "back to top", "advertisement", "sponsored", "cookie", "cookies", "tags",
        "previous", "next", "home", "menu", "copy link", "follow us", "close", "suggest a correction",
        // French
        "partager", "partagez", "commentaires", "commenter", "lire aussi", "lire la suite", "à lire aussi",
        "articles similaires", "publicité", "abonnez-vous", "retour en haut", "imprimer", "suivez-nous",
        "fermer", "signaler une erreur",
    ].map { Self.normalize($0) }

    /// What a comment form says under its heading (the notices of common publishing software),
    /// normalised: a line containing one of these belongs to the form, whatever else it says.
    static let commentFormNotices: [String] = [
        "لن يتم نشر عنوان بريدك الإلكتروني", "الحقول الإلزامية مشار إليها",
        "your email address will not be published", "required fields are marked",
        "votre adresse e-mail ne sera pas publiée", "les champs obligatoires sont indiqués",
    ].map { Self.normalize($0) }

    /// ``commentFormNotices`` as the UTF-8 of whole words (padded with spaces), searched byte-wise:
    /// Foundation's `String.contains` folds character clusters and cost more than the rest of the
    /// trimmer on every short line.
    private static let paddedNoticeBytes: [[UInt8]] = commentFormNotices.map { Array(" \($0) ".utf8) }

    /// The length of the shortest of ``paddedNoticeBytes``: a shorter line holds none.
    private static let shortestNotice = paddedNoticeBytes.map(\.count).min() ?? 0

    static let normalizer = ArabicNormalizer(options: .matching.union(.taaMarbutaToHa))

    static func normalize(_ text: String) -> String {
        simpleWords(text.unicodeScalars, folding: true) ?? words(normalizer.normalizedString(text))
    }

    /// The runs of letters, digits and hyphens of `text` that hold a letter or a digit, by
    /// character, joined by spaces.
    static func words(_ text: String) -> String {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" })
            .filter { $0.contains { $0.isLetter || $0.isNumber } }
            .joined(separator: " ")
    }

    /// What a scalar of ASCII or the Arabic block is to ``simpleWords(_:)``: 0 a separator,
    /// 1 a hyphen, 2 a letter or digit, 3 a scalar that may join the next into one character
    /// (a mark, a prepended sign, CR), which only the slow path reads right.
    private static let simpleKinds: [UInt8] = (0..<0x700).map { simpleKind(of: Unicode.Scalar(UInt32($0))!) }

    private static func simpleKind(of scalar: Unicode.Scalar) -> UInt8 {
        let value = scalar.value
        if value == 0x2D { return 1 }
        if value == 0x0D || (0x0600...0x0605).contains(value) || value == 0x06DD { return 3 }
        let properties = scalar.properties
        if value < 0x80 || (0x0600..<0x0700).contains(value) {
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format: return 3
            default: return properties.isAlphabetic || properties.numericType != nil ? 2 : 0
            }
        }
        // Elsewhere only punctuation and spaces that are neither letters nor numbers: quotation
        // marks, dashes, « ». What follows them is a character of its own, or takes the slow path.
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .spaceSeparator:
            return properties.isAlphabetic || properties.numericType != nil ? 3 : 0
        default:
            return 3
        }
    }

    /// ``words(_:)`` for text of ASCII and Arabic letters (and punctuation), where every scalar is
    /// a character of its own: `nil` for other text. Splitting by `Character` walks grapheme
    /// clusters and tests Unicode properties, for every short line of every document.
    static func simpleWords(_ text: String) -> String? {
        simpleWords(text.unicodeScalars, folding: false)
    }

    /// ``normalize(_:)`` of a line's scalars. Most lines of an article are short enough to be
    /// read by the rules, so they are folded and cut into words in one pass, without a string of
    /// the line or of its folded form.
    static func normalize(_ line: ArraySlice<Unicode.Scalar>) -> String {
        simpleWords(line, folding: true) ?? words(normalizer.normalizedString(String(scalars: line)))
    }

    /// ``simpleWords(_:)`` of `scalars`, each first folded by ``normalizer`` when `folding`;
    /// `nil` as soon as a (folded) scalar needs the character path.
    private static func simpleWords(_ scalars: some Sequence<Unicode.Scalar>, folding: Bool) -> String? {
        // Read once: a static read in the loop goes through its lazy initialisation check.
        let normalizer = Self.normalizer
        return simpleKinds.withUnsafeBufferPointer { kinds in
            var words = SimpleWords(kinds: kinds)
            var folded: [Unicode.Scalar] = []
            for scalar in scalars {
                if folding {
                    // Most scalars fold to one or none, by table.
                    if let single = normalizer.tableFold(scalar) {
                        if let single, !words.add(single) { return nil }
                        continue
                    }
                    folded.removeAll(keepingCapacity: true)
                    normalizer.fold(scalar, into: &folded)
                    for scalar in folded where !words.add(scalar) { return nil }
                } else if !words.add(scalar) {
                    return nil
                }
            }
            return words.text()
        }
    }

    /// The words of scalars as they come, joined by spaces (a struct, not captured variables,
    /// which the compiler boxes and checks on every access).
    private struct SimpleWords {
        let kinds: UnsafeBufferPointer<UInt8>
        var output: [Unicode.Scalar] = []
        /// Where the current word (with the space before it) starts in `output`, if one is open.
        var wordStart: Int?
        var wordHasText = false

        /// Takes a scalar; `false` for one that only the character path reads right.
        mutating func add(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            switch value < UInt32(kinds.count) ? kinds[Int(value)] : BoilerplateTrimmer.simpleKind(of: scalar) {
            case 0:
                endWord()
            case let kind where kind <= 2:
                if wordStart == nil {
                    wordStart = output.count
                    if !output.isEmpty { output.append(" ") }
                }
                output.append(scalar)
                if kind == 2 { wordHasText = true }
            default:
                return false
            }
            return true
        }

        /// A word without a letter or a digit is dropped.
        mutating func endWord() {
            if let start = wordStart, !wordHasText { output.removeSubrange(start...) }
            wordStart = nil
            wordHasText = false
        }

        mutating func text() -> String {
            endWord()
            return String(scalars: output)
        }
    }

    /// Finds and removes the boilerplate lines of `text`.
    public func trim(_ text: String) -> Result {
        let scalars = Array(scalarsOf: text)
        let (lines, isBoilerplate) = boilerplate(scalars)
        var trimmed: String
        guard isBoilerplate.contains(true) else {
            // The text as it is, but for the empty lines that open it (as the lines kept are joined below).
            var leading = 0
            while leading < scalars.count, scalars[leading] == "\n" { leading += 1 }
            trimmed = leading == 0 ? text : String(scalars: scalars[leading...])
            while trimmed.hasSuffix("\n") { trimmed.removeLast() }
            return Result(text: trimmed, removed: [])
        }
        var removed: [TextSpan] = []
        // Gathered as an array: appending a slice to a string's scalar view copies the whole
        // string each time, quadratic in a long line.
        var kept: [Unicode.Scalar] = []
        kept.reserveCapacity(scalars.count)
        for (line, span) in lines.enumerated() {
            if isBoilerplate[line] {
                removed.append(span)
                continue
            }
            if !kept.isEmpty { kept.append("\n") }
            kept.append(contentsOf: scalars[span.start..<span.end])
        }
        trimmed = String(scalars: kept)
        while trimmed.hasSuffix("\n") { trimmed.removeLast() }
        return Result(text: trimmed, removed: removed)
    }

    /// The boilerplate lines of a text given as scalars (``Result/removed`` without the text
    /// rebuilt, for a reader that keeps the original and its scalars).
    public func boilerplateLines(_ scalars: [Unicode.Scalar]) -> [TextSpan] {
        let (lines, isBoilerplate) = boilerplate(scalars)
        return lines.indices.filter { isBoilerplate[$0] }.map { lines[$0] }
    }

    /// The lines of a text and whether each is boilerplate.
    private func boilerplate(_ scalars: [Unicode.Scalar]) -> (lines: [TextSpan], isBoilerplate: [Bool]) {
        var lines: [TextSpan] = []
        var start = 0
        for (index, scalar) in scalars.enumerated() where scalar == "\n" {
            lines.append(TextSpan(start, index))
            start = index + 1
        }
        lines.append(TextSpan(start, scalars.count))
        func content(_ line: Int) -> String { String(scalars: scalars[lines[line].start..<lines[line].end]) }
        // Normalised once: every rule reads the same short line, and none reads a long one.
        let normalized = lines.map { line in
            line.end - line.start <= Self.longestShortLine ? Self.normalize(scalars[line.start..<line.end]) : nil
        }
        var isBoilerplate = normalized.map { line in
            guard let line else { return false }
            return Self.isInterfaceLine(normalized: line) || Self.isCommentFormNotice(normalized: line)
        }
        // The trailing block: after the last real paragraph, the lines left are interface lines and
        // short fragments (a close button, a separator, a credit: a few words that do not end a
        // sentence); when there is an interface line among them, the fragments go with it, wherever
        // they stand in the block.
        var fragments: [Int] = []
        var blockHasInterface = false
        var index = lines.count - 1
        while index >= 0 {
            if isBoilerplate[index] {
                blockHasInterface = true
            } else if scalars[lines[index].start..<lines[index].end].contains(where: { !Tokenizer.isSpace($0) }) {
                guard let line = normalized[index], Self.isFragment(content(index), normalized: line) else { break }
                fragments.append(index)
            }
            index -= 1
        }
        if blockHasInterface {
            for fragment in fragments { isBoilerplate[fragment] = true }
        }
        return (lines, isBoilerplate)
    }

    /// The most words a fragment of the trailing block has.
    static let fragmentWords = 5

    /// A short line of a few words that does not end like a sentence.
    static func isFragment(_ line: String) -> Bool {
        guard line.unicodeScalars.count <= longestShortLine else { return false }
        return isFragment(line, normalized: normalize(line))
    }

    /// ``isFragment(_:)`` of a short line and its normalised form.
    static func isFragment(_ line: String, normalized: String) -> Bool {
        guard normalized.split(separator: " ").count <= fragmentWords else { return false }
        let last = line.unicodeScalars.last { !Tokenizer.isSpace($0) }
        return !(last.map { [".", "!", "?", "؟", "…"].contains($0) } ?? false)
    }

    /// Lines longer than this, in Unicode scalars, are text: normalising drops diacritics and
    /// punctuation, never most of a line.
    static let longestShortLine = 4 * 48

    /// A line that carries a comment form's notice ("your email address will not be published").
    static func isCommentFormNotice(_ line: String) -> Bool {
        // A notice is a sentence or two; a long line is an article's paragraph quoting one.
        guard line.unicodeScalars.count <= longestShortLine else { return false }
        return isCommentFormNotice(normalized: normalize(line))
    }

    /// ``isCommentFormNotice(_:)`` of a short line already normalised.
    static func isCommentFormNotice(normalized: String) -> Bool {
        guard normalized.utf8.count + 2 >= shortestNotice else { return false }
        let padded = Array(" \(normalized) ".utf8)
        return padded.withUnsafeBufferPointer { padded in
            paddedNoticeBytes.contains { notice in
                notice.withUnsafeBufferPointer { notice in
                    guard notice.count <= padded.count else { return false }
                    // Every notice starts with the padding space: only word starts are compared,
                    // and only those whose next two bytes are the notice's compared in full.
                    for start in 0...(padded.count - notice.count)
                    where padded[start] == 0x20 && padded[start + 1] == notice[1] && padded[start + 2] == notice[2] {
                        if UnsafeBufferPointer(rebasing: padded[start..<(start + notice.count)]).elementsEqual(notice) { return true }
                    }
                    return false
                }
            }
        }
    }

    /// ``interfacePhrases`` by their UTF-8.
    private static let interfacePhraseBytes = Set(interfacePhrases.map { Array($0.utf8) })

    /// Whether a normalised line or word is one of ``interfacePhrases``. Byte equality is string
    /// equality for ASCII and the Arabic block's letters (no other form of them exists), and is
    /// looked up in a set; other text is compared as strings, canonical equivalents matching.
    private static func isInterfacePhrase(_ text: String) -> Bool {
        if text.unicodeScalars.allSatisfy({ $0.value < 0x80 || (0x0621...0x064A).contains($0.value) || $0 == " " }) {
            return interfacePhraseBytes.contains(Array(text.utf8))
        }
        return interfacePhrases.contains(text)
    }

    /// A short line made mostly of interface vocabulary.
    static func isInterfaceLine(_ line: String) -> Bool {
        guard line.unicodeScalars.count <= longestShortLine else { return false }
        return isInterfaceLine(normalized: normalize(line))
    }

    /// ``isInterfaceLine(_:)`` of a short line already normalised.
    static func isInterfaceLine(normalized: String) -> Bool {
        guard normalized.unicodeScalars.count <= 48 else { return false }
        let words = normalized.split(separator: " ")
        guard !words.isEmpty, words.count <= 6 else { return false }
        if isInterfacePhrase(normalized) { return true }
        // Several interface words side by side ("Facebook Twitter WhatsApp", "شارك تويتر فيسبوك").
        let interfaceWords = words.filter { isInterfacePhrase(String($0)) }.count
        return words.count >= 2 && Double(interfaceWords) / Double(words.count) >= 0.6
    }
}
