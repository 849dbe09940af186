/// Splits text into sentences, with Unicode scalar offsets.
///
/// Sentences end at `.`, `!`, `?`, `؟`, `۔`, `…` (and runs of them), with closing quotes and
/// brackets (`” » ) "`) kept in the sentence; at a blank line; and at a line break unless the
/// text is hard-wrapped (most lines of similar length that do not end a sentence), in which case
/// lines are joined. A `.` directly followed by an Arabic letter ends a sentence (common in copied
/// Arabic text); one between digits (`2.5`), after an abbreviation (`Mr.`, `Dr.`, `M.`, `Mme`,
/// `e.g.`) or an initial (`J. Smith`), or inside a Latin word (`example.com`, `U.S.`) does not.
/// The Arabic comma and semicolon (`، ؛`) never end a sentence.
public struct SentenceSplitter: Sendable {
    /// Creates a splitter.
    public init() {}

    /// The sentences of `text`, trimmed of surrounding white space.
    public func split(_ text: String) -> [TextSpan] {
        split(ScalarText(text))
    }

    /// The sentences of a text already split into scalars.
    public func split(_ text: ScalarText) -> [TextSpan] {
        let scalars = text.scalars
        let hardWrapped = Self.isHardWrapped(scalars)
        var sentences: [TextSpan] = []
        var start = 0
        func close(_ end: Int) {
            var from = start
            var to = end
            while from < to, Tokenizer.isSpace(scalars[from]) || Tokenizer.isInvisible(scalars[from]) { from += 1 }
            while to > from, Tokenizer.isSpace(scalars[to - 1]) || Tokenizer.isInvisible(scalars[to - 1]) { to -= 1 }
            if from < to, scalars[from..<to].contains(where: { Tokenizer.isWordScalar($0) }) {
                sentences.append(TextSpan(from, to))
            } else if from < to, let last = sentences.last, last.end <= from {
                // Stray punctuation between sentences belongs to the previous one.
                sentences[sentences.count - 1].end = to
            }
            start = end
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                var next = index + 1
                var blank = false
                while next < scalars.count, scalars[next] != "\n", Tokenizer.isSpace(scalars[next]) { next += 1 }
                if next < scalars.count, scalars[next] == "\n" { blank = true }
                if blank || !hardWrapped {
                    close(index)
                }
                index += 1
                continue
            }
            if Self.isTerminator(scalar) {
                var end = index + 1
                while end < scalars.count, Self.isTerminator(scalars[end]) || Self.isCloser(scalars[end]) { end += 1 }
                if isSentenceEnd(scalars, terminator: index, after: end) {
                    close(end)
                }
                index = end
                continue
            }
            index += 1
        }
        close(scalars.count)
        return sentences
    }

    private func isSentenceEnd(_ scalars: [Unicode.Scalar], terminator: Int, after end: Int) -> Bool {
        guard scalars[terminator] == "." else { return true }
        guard end < scalars.count else { return true }
        let next = scalars[end]
        if Tokenizer.isSpace(next) {
            return !Self.isAbbreviation(scalars, dot: terminator)
        }
        // "." glued to the next word: an Arabic letter starts a new sentence; digits and Latin letters do not.
        if end == terminator + 1, Self.isArabicLetter(next) {
            return terminator > 0 && !Tokenizer.isDigit(scalars[terminator - 1])
        }
        return false
    }

    /// `. ! ? ؟ ۔ … 。 ！ ？ ‼ ⁉` (a switch: a `Set` would hash every scalar of the text).
    static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", "؟", "۔", "…", "。", "！", "？", "‼", "⁉": true
        default: false
        }
    }

    /// Closing quotes and brackets kept with the sentence before them.
    static func isCloser(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "”", "’", "»", "›", ")", "]", "}", "﴿": true
        default: false
        }
    }

    private static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "vs", "etc", "no", "nos", "vol", "fig", "figs", "inc",
        "ltd", "co", "corp", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "cmdr", "adm", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "cf", "approx", "est",
        "dept", "univ", "ave", "blvd", "rd", "pp", "ed", "eds", "op", "al",
        // French
        "m", "mm", "mme", "mmes", "mlle", "mlles", "av", "bd", "env", "p", "cf", "etc", "n°", "art", "ch", "chap",
        "éd", "dir", "hab", "min", "max", "j.-c", "apr. j.-c", "av. j.-c", "st", "ste",
    ]

    private static func isAbbreviation(_ scalars: [Unicode.Scalar], dot: Int) -> Bool {
        var start = dot
        while start > 0, Tokenizer.isLetterOrMark(scalars[start - 1]) || scalars[start - 1] == "." || scalars[start - 1] == "-" {
            start -= 1
        }
        // Arabic has no such abbreviations; the listed ones are short.
        guard start < dot, !isArabicLetter(scalars[dot - 1]), dot - start <= 10 else { return false }
        let word = String(scalars: scalars[start..<dot]).lowercased()
        let letters = word.unicodeScalars.filter { $0 != "." && $0 != "-" }
        if letters.count == 1, let letter = letters.first, !isArabicLetter(letter), scalars[start].properties.isUppercase {
            return true  // an initial: "J. Smith"
        }
        if word.contains("."), letters.allSatisfy({ $0.properties.isAlphabetic && !isArabicLetter($0) }), letters.count <= 4 {
            return true  // "U.S", "e.g"
        }
        return abbreviations.contains(word)
    }

    static func isArabicLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return
            ((0x0620...0x064A).contains(value) || (0x066E...0x06D3).contains(value) || (0x06FA...0x06FF).contains(value)
            || (0x0750...0x077F).contains(value))
    }

    /// Whether line breaks inside paragraphs are only wrapping: most non-empty lines are long
    /// and similar in length, and few of them end a sentence.
    static func isHardWrapped(_ scalars: [Unicode.Scalar]) -> Bool {
        // Each non-empty line's length without the white space at its ends, and whether its last
        // scalar ends a sentence.
        var lengths: [Int] = []
        var endingSentence = 0
        var lineStart = 0
        for index in 0...scalars.count where index == scalars.count || scalars[index] == "\n" {
            var start = lineStart
            var end = index
            while start < end, Tokenizer.isSpace(scalars[start]) { start += 1 }
            while end > start, Tokenizer.isSpace(scalars[end - 1]) { end -= 1 }
            if end > start {
                lengths.append(end - start)
                if isTerminator(scalars[end - 1]) || isCloser(scalars[end - 1]) { endingSentence += 1 }
            }
            lineStart = index + 1
        }
        guard lengths.count >= 4 else { return false }
        lengths.sort()
        let median = lengths[lengths.count / 2]
        guard median >= 40 else { return false }
        let nearMedian = lengths.filter { abs($0 - median) <= median / 5 }.count
        return Double(nearMedian) >= 0.6 * Double(lengths.count) && Double(endingSentence) <= 0.5 * Double(lengths.count)
    }
}
