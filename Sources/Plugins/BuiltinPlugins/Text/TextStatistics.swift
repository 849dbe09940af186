/// Counts of a text's structure: paragraphs, sentences, words, numbers, and letters by script.
public struct TextStatistics: Sendable, Equatable {
    /// Blocks separated by blank lines; lines, when the text has no blank line.
    public var paragraphs = 0
    /// Sentences, ended by `.`, `!`, `?`, `؟`, `۔`, `…` or a paragraph's end.
    public var sentences = 0
    /// Tokens with at least one letter.
    public var words = 0
    /// Tokens of digits only (with inner separators such as `2.5` or `1,000`).
    public var numbers = 0
    /// Non-empty lines.
    public var lines = 0
    /// Unicode scalars.
    public var characters = 0
    /// Letters per script.
    public var letters: [UnicodeScript: Int] = [:]

    /// Measures `text`.
    public init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        characters = scalars.count
        let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingWhitespace() }
        lines = rawLines.filter { !$0.isEmpty }.count
        let hasBlankLineBetweenText = Self.hasBlankLineBetweenText(rawLines)
        var paragraphTexts: [[Substring]] = []
        var current: [Substring] = []
        for line in rawLines {
            if line.isEmpty {
                if !current.isEmpty { paragraphTexts.append(current) }
                current = []
            } else if hasBlankLineBetweenText {
                current.append(line)
            } else {
                paragraphTexts.append([line])
            }
        }
        if !current.isEmpty { paragraphTexts.append(current) }
        paragraphs = paragraphTexts.count
        for paragraph in paragraphTexts {
            sentences += Self.countSentences(paragraph.joined(separator: " "))
        }
        countTokens(scalars)
    }

    private static func hasBlankLineBetweenText(_ lines: [Substring]) -> Bool {
        guard let first = lines.firstIndex(where: { !$0.isEmpty }),
            let last = lines.lastIndex(where: { !$0.isEmpty })
        else { return false }
        return lines[first...last].contains { $0.isEmpty }
    }

    private static let sentenceEnds: Set<Unicode.Scalar> = [".", "!", "?", "؟", "۔", "…", "。", "！", "？"]
    private static let closers: Set<Unicode.Scalar> = ["\"", "'", "”", "’", "»", ")", "]", "›"]

    /// Counts sentences in one paragraph; a paragraph always holds at least one.
    static func countSentences(_ paragraph: String) -> Int {
        let scalars = Array(paragraph.unicodeScalars)
        var count = 0
        var sawContent = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                sawContent = true
            }
            if sentenceEnds.contains(scalar) && sawContent {
                var next = index + 1
                while next < scalars.count, sentenceEnds.contains(scalars[next]) || closers.contains(scalars[next]) {
                    next += 1
                }
                let atEnd = next >= scalars.count
                let followedBySpace = !atEnd && scalars[next].properties.isWhitespace
                if scalar == ".", !atEnd, !followedBySpace {
                    // "2.5", "example.com", "U.S." are not sentence ends.
                    index = next
                    continue
                }
                if scalar == ".", isAbbreviation(before: index, in: scalars) {
                    index = next
                    continue
                }
                if atEnd || followedBySpace {
                    count += 1
                    sawContent = false
                }
                index = next
                continue
            }
            index += 1
        }
        if sawContent { count += 1 }
        return max(count, 1)
    }

    private static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "vs", "etc", "no", "vol", "fig", "inc",
        "ltd", "co", "corp", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "cf", "approx",
        "m", "mme", "mlle", "av", "bd", "env", "p", "pp",
    ]

    private static func isAbbreviation(before dot: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var start = dot
        while start > 0, scalars[start - 1].properties.isAlphabetic || scalars[start - 1] == "." {
            start -= 1
        }
        guard start < dot else { return false }
        let word = String(String.UnicodeScalarView(scalars[start..<dot])).lowercased()
        if word.unicodeScalars.count == 1, word.unicodeScalars.first.map({ $0.value < 0x80 }) == true {
            return true  // an initial: "J. Smith"
        }
        return abbreviations.contains(word)
    }

    private static let innerJoiners: Set<Unicode.Scalar> = ["'", "’", "-", "\u{200C}", "\u{200D}"]
    private static let numberJoiners: Set<Unicode.Scalar> = [".", ",", "٫", "٬"]

    private mutating func countTokens(_ scalars: [Unicode.Scalar]) {
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard Self.isTokenScalar(scalar) else {
                index += 1
                continue
            }
            var hasLetter = false
            while index < scalars.count {
                let current = scalars[index]
                if Self.isTokenScalar(current) {
                    if let script = UnicodeScript(letter: current) {
                        hasLetter = true
                        letters[script, default: 0] += 1
                    }
                    index += 1
                } else if index + 1 < scalars.count, Self.isTokenScalar(scalars[index + 1]),
                    Self.innerJoiners.contains(current)
                        || (Self.numberJoiners.contains(current) && scalars[index - 1].properties.numericType != nil
                            && scalars[index + 1].properties.numericType != nil)
                {
                    index += 1
                } else {
                    break
                }
            }
            if hasLetter { words += 1 } else { numbers += 1 }
        }
    }

    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.unicodeScalars.first, first.properties.isWhitespace || first == "\u{FEFF}" {
            result = result.dropFirst()
        }
        while let last = result.unicodeScalars.last, last.properties.isWhitespace {
            result = result.dropLast()
        }
        return result
    }
}
