/// Counts of a text's structure: paragraphs, sentences, words, numbers, and letters by script.
public struct TextStatistics: Sendable, Equatable {
    /// One script's share of a text's letters.
    public struct ScriptShare: Sendable, Equatable {
        /// The script.
        public var script: UnicodeScript
        /// How many letters of the text are in it.
        public var letters: Int
        /// Its letters over all the text's letters, 0…1.
        public var proportion: Double
    }

    /// Blocks separated by blank lines; lines, when the text has no blank line.
    public var paragraphs = 0
    /// Sentences, as ``SentenceSplitter`` finds them in each paragraph.
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

    /// The scripts present, the one with the most letters first (a tie goes by the script's
    /// name): the first is the text's dominant script.
    public var scripts: [ScriptShare] {
        let total = letters.values.reduce(0, +)
        return
            letters
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { ScriptShare(script: $0.key, letters: $0.value, proportion: Double($0.value) / Double(max(total, 1))) }
    }

    /// Measures `text`.
    public init(_ text: String) {
        self.init(text, scalars: Array(scalarsOf: text))
    }

    /// The same, for a text already decoded (`scalars` must be `text`'s).
    public init(_ text: String, scalars: [Unicode.Scalar]) {
        characters = scalars.count
        // The lines, trimmed of white space (and a byte-order mark at their start), as ranges
        // of the scalars: no string is made of a line or of a paragraph.
        var rawLines: [Range<Int>] = []
        var start = 0
        while true {
            var end = start
            while end < scalars.count, scalars[end] != "\n" { end += 1 }
            var from = start
            var to = end
            while from < to, Tokenizer.isSpace(scalars[from]) || scalars[from] == "\u{FEFF}" { from += 1 }
            while to > from, Tokenizer.isSpace(scalars[to - 1]) { to -= 1 }
            // Trimmed by characters, as a line always was: where a mark could join a space
            // (" \u{301}") or a prepended sign precede one, the scalars may not be the characters.
            if (from > start && from < end && scalars[from].value >= 0x300) || (to < end && to > from && scalars[to - 1].value >= 0x300) {
                let line = String(scalars: scalars[start..<end])
                let trimmed = Substring(line).trimmingWhitespace()
                from = start + line.unicodeScalars.distance(from: line.startIndex, to: trimmed.startIndex)
                to = from + trimmed.unicodeScalars.count
            }
            rawLines.append(from..<to)
            guard end < scalars.count else { break }
            start = end + 1
        }
        lines = rawLines.filter { !$0.isEmpty }.count
        let hasBlankLineBetweenText = Self.hasBlankLineBetweenText(rawLines)
        var paragraphLines: [[Range<Int>]] = []
        var current: [Range<Int>] = []
        for line in rawLines {
            if line.isEmpty {
                if !current.isEmpty { paragraphLines.append(current) }
                current = []
            } else if hasBlankLineBetweenText {
                current.append(line)
            } else {
                paragraphLines.append([line])
            }
        }
        if !current.isEmpty { paragraphLines.append(current) }
        paragraphs = paragraphLines.count
        var paragraph: [Unicode.Scalar] = []
        for lines in paragraphLines {
            // Its lines joined by spaces.
            paragraph.removeAll(keepingCapacity: true)
            for line in lines {
                if !paragraph.isEmpty { paragraph.append(" ") }
                paragraph.append(contentsOf: scalars[line])
            }
            // A paragraph holds at least one sentence.
            sentences += max(SentenceSplitter().split(ScalarText(scalars: paragraph)).count, 1)
        }
        countTokens(scalars)
    }

    private static func hasBlankLineBetweenText(_ lines: [Range<Int>]) -> Bool {
        guard let first = lines.firstIndex(where: { !$0.isEmpty }),
            let last = lines.lastIndex(where: { !$0.isEmpty })
        else { return false }
        return lines[first...last].contains { $0.isEmpty }
    }

    /// Marks that join two parts of one token: ' ’ - and the zero-width (non-)joiner.
    private static func isInnerJoiner(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x27, 0x2019, 0x2D, 0x200C, 0x200D: true
        default: false
        }
    }

    private mutating func countTokens(_ scalars: [Unicode.Scalar]) {
        var counts = [Int](repeating: 0, count: Self.scripts.count)
        var index = 0
        while index < scalars.count {
            guard Self.kind(of: scalars[index]) != Self.notToken else {
                index += 1
                continue
            }
            var hasLetter = false
            while index < scalars.count {
                let current = scalars[index]
                let kind = Self.kind(of: current)
                if kind != Self.notToken {
                    if kind >= Self.firstLetter {
                        hasLetter = true
                        counts[Int(kind - Self.firstLetter)] += 1
                    }
                    index += 1
                } else if index + 1 < scalars.count, Self.kind(of: scalars[index + 1]) != Self.notToken,
                    Self.isInnerJoiner(current)
                        || (Tokenizer.isNumberJoiner(current) && scalars[index - 1].properties.numericType != nil
                            && scalars[index + 1].properties.numericType != nil)
                {
                    index += 1
                } else {
                    break
                }
            }
            if hasLetter { words += 1 } else { numbers += 1 }
        }
        for (script, count) in zip(Self.scripts, counts) where count > 0 { letters[script] = count }
    }

    private static let scripts = UnicodeScript.allCases
    private static let notToken: UInt8 = 0
    private static let firstLetter: UInt8 = 2

    /// What a scalar is to the counting: ``notToken``, 1 (part of a token, not a letter), or
    /// ``firstLetter`` plus the index of a letter's script in ``scripts``.
    @inline(__always)
    private static func kind(of scalar: Unicode.Scalar) -> UInt8 {
        scalar.value < UInt32(lowKinds.count) ? lowKinds[Int(scalar.value)] : computedKind(of: scalar)
    }

    /// ``kind(of:)`` of the scalars below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic …), looked
    /// up rather than asked of the Unicode tables for every scalar.
    private static let lowKinds: [UInt8] = (0..<0x800).map { value in Unicode.Scalar(UInt32(value)).map(computedKind) ?? notToken }

    private static func computedKind(of scalar: Unicode.Scalar) -> UInt8 {
        guard isTokenScalar(scalar) else { return notToken }
        guard let script = UnicodeScript(letter: scalar) else { return 1 }
        return firstLetter + UInt8(scripts.firstIndex(of: script)!)
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
