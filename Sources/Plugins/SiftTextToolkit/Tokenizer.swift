/// Splits text into words, numbers, punctuation, URLs, hashtags, mentions and e-mail addresses,
/// with Unicode scalar offsets.
///
/// Words are runs of letters and combining marks (Arabic diacritics, tatweel and the zero-width
/// non-joiner included) that may hold an apostrophe or a hyphen between letters. Numbers are
/// runs of digits of any script with `.`, `,`, `٫` or `٬` between digits (`2.5`, `1,000`, `٣٫٥`).
/// Runs of the same punctuation (`...`, `!!`) are one token.
public struct Tokenizer: Sendable {
    /// Creates a tokenizer.
    public init() {}

    /// The tokens of `text`.
    public func tokenize(_ text: String) -> [Token] {
        tokenize(ScalarText(text))
    }

    /// The tokens of a text already split into scalars.
    public func tokenize(_ text: ScalarText) -> [Token] {
        let scalars = text.scalars
        var tokens: [Token] = []
        var index = 0
        func emit(_ kind: Token.Kind, _ start: Int, _ end: Int) {
            tokens.append(Token(text: text[TextSpan(start, end)], kind: kind, span: TextSpan(start, end)))
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if Self.isSpace(scalar) || Self.isInvisible(scalar) {
                index += 1
                continue
            }
            if let end = urlEnd(scalars, from: index) {
                emit(.url, index, end)
                index = end
                continue
            }
            if let end = emailEnd(scalars, from: index) {
                emit(.email, index, end)
                index = end
                continue
            }
            if scalar == "#" || scalar == "@", index + 1 < scalars.count, Self.isWordScalar(scalars[index + 1]),
                index == 0 || !Self.isWordScalar(scalars[index - 1])
            {
                var end = index + 1
                while end < scalars.count, Self.isWordScalar(scalars[end]) || scalars[end] == "_" { end += 1 }
                emit(scalar == "#" ? .hashtag : .mention, index, end)
                index = end
                continue
            }
            if Self.isDigit(scalar) {
                var end = index + 1
                while end < scalars.count {
                    if Self.isDigit(scalars[end]) {
                        end += 1
                    } else if Self.isNumberJoiner(scalars[end]), end + 1 < scalars.count, Self.isDigit(scalars[end + 1]) {
                        end += 2
                    } else {
                        break
                    }
                }
                // A number glued to letters ("3D", "٢٠٢٠م") stays one word.
                if end < scalars.count, Self.isLetterOrMark(scalars[end]) {
                    end = wordEnd(scalars, from: end)
                    emit(.word, index, end)
                } else {
                    emit(.number, index, end)
                }
                index = end
                continue
            }
            if Self.isLetterOrMark(scalar) {
                let end = wordEnd(scalars, from: index)
                emit(.word, index, end)
                index = end
                continue
            }
            var end = index + 1
            while end < scalars.count, scalars[end] == scalar { end += 1 }
            let kind: Token.Kind = scalar.properties.generalCategory.isPunctuation ? .punctuation : .symbol
            emit(kind, index, end)
            index = end
        }
        return tokens
    }

    private func wordEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var end = start
        while end < scalars.count {
            let scalar = scalars[end]
            if Self.isLetterOrMark(scalar) || Self.isDigit(scalar) || scalar == "\u{200C}" || scalar == "\u{200D}" || scalar == "\u{0640}" {
                end += 1
            } else if Self.isWordJoiner(scalar), end + 1 < scalars.count, Self.isLetterOrMark(scalars[end + 1]), end > start {
                end += 1
            } else {
                break
            }
        }
        return end
    }

    private static let urlPrefixes: [[Unicode.Scalar]] = ["https://", "http://", "www."].map { Array($0.unicodeScalars) }
    private static let trailingURLPunctuation: Set<Unicode.Scalar> = [".", ",", ";", ":", "!", "?", ")", "]", "»", "\"", "'", "،", "؛", "؟"]

    private func urlEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        // Every prefix begins with h or w: most tokens are told at their first scalar.
        guard scalars[start].value | 0x20 == 0x68 || scalars[start].value | 0x20 == 0x77 else { return nil }
        // The prefixes are ASCII, and no other letter lower-cases to theirs: an ASCII comparison.
        func lowercased(_ scalar: Unicode.Scalar) -> UInt32 { (0x41...0x5A).contains(scalar.value) ? scalar.value | 0x20 : scalar.value }
        guard
            Self.urlPrefixes.contains(where: { prefix in
                start + prefix.count <= scalars.count && zip(prefix, scalars[start...]).allSatisfy { $0.value == lowercased($1) }
            })
        else { return nil }
        var end = start
        while end < scalars.count, !Self.isSpace(scalars[end]) { end += 1 }
        while end > start, Self.trailingURLPunctuation.contains(scalars[end - 1]) { end -= 1 }
        return end > start + 4 ? end : nil
    }

    private func emailEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard scalars[start].isASCII, Self.isWordScalar(scalars[start]) else { return nil }
        var end = start
        var at: Int?
        while end < scalars.count, scalars[end].isASCII, Self.isWordScalar(scalars[end]) || "@._+-".unicodeScalars.contains(scalars[end]) {
            if scalars[end] == "@" {
                if at != nil { return nil }
                at = end
            }
            end += 1
        }
        while end > start, ".-".unicodeScalars.contains(scalars[end - 1]) { end -= 1 }
        guard let at, at > start, scalars[(at + 1)..<end].contains("."), scalars[end - 1] != "@" else { return nil }
        return end
    }

    /// `.` `,` and the Arabic decimal and thousands separators, between digits. (A switch on the
    /// value: a set hashes the scalar at every word's end.)
    static func isNumberJoiner(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E, 0x2C, 0x066B, 0x066C: true
        default: false
        }
    }

    /// An apostrophe (' ’) or a hyphen (- and the non-breaking one), between letters.
    private static func isWordJoiner(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x27, 0x2019, 0x2D, 0x2011: true
        default: false
        }
    }

    @inlinable @inline(__always)
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value >= 0x30 && value <= 0x39 }
        if (0x0660...0x0669).contains(value) || (0x06F0...0x06F9).contains(value) { return true }
        if value < 0x0660 { return false }
        return scalar.properties.generalCategory == .decimalNumber
    }

    @inlinable @inline(__always)
    static func isLetterOrMark(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        // Fast paths for ASCII and the Arabic block, the common cases.
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        if (0x0620...0x065F).contains(value) || (0x066E...0x06D3).contains(value) { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return scalar == "\u{0640}"
        }
    }

    /// Whether a scalar belongs to a word: a letter, a mark (tatweel included) or a digit.
    @inlinable
    public static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        isLetterOrMark(scalar) || isDigit(scalar)
    }

    /// `scalar.properties.isWhitespace`, without the property tables below U+0800 (ASCII, Latin,
    /// Arabic), where white space is tab to carriage return, space, U+0085 and U+00A0.
    @inlinable
    public static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
        if value < 0x800 { return value == 0x85 || value == 0xA0 }
        return scalar.properties.isWhitespace
    }

    /// Directional marks and the byte-order mark: not tokens, not separators.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x200E else { return false }
        return [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF].contains(scalar.value)
    }
}

extension Unicode.GeneralCategory {
    var isPunctuation: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            true
        default:
            false
        }
    }
}
