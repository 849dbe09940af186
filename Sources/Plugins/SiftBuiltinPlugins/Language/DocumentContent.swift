import SiftTextToolkit

/// A document's text cut into paragraphs, with the boilerplate lines set apart.
///
/// A paragraph is a line (one paragraph per line is how most extracted articles come), joined
/// with the lines after it while it does not end a sentence (hard-wrapped text); blank lines
/// always separate. Spans are Unicode scalar offsets into the document's text.
struct DocumentContent {
    /// A paragraph or a boilerplate line.
    struct Part {
        var span: TextSpan
        var text: String
    }

    /// The paragraphs, boilerplate left out.
    var paragraphs: [Part] = []
    /// The boilerplate lines.
    var boilerplate: [Part] = []
    /// The paragraphs joined by newlines: what the language is judged on.
    var text: String { paragraphs.map(\.text).joined(separator: "\n") }

    init(_ text: String, trimsBoilerplate: Bool) {
        let scalars = ScalarText(text)
        var lines: [TextSpan] = []
        var start = 0
        for (index, scalar) in scalars.scalars.enumerated() where scalar == "\n" {
            lines.append(TextSpan(start, index))
            start = index + 1
        }
        lines.append(TextSpan(start, scalars.scalars.count))
        let removed = trimsBoilerplate ? Set(BoilerplateTrimmer().trim(text).removed) : []
        var current: TextSpan?
        func close() {
            if let span = current { paragraphs.append(Part(span: span, text: scalars[span])) }
            current = nil
        }
        for line in lines {
            let trimmed = Self.trimmed(line, in: scalars)
            if trimmed.length == 0 {
                close()
                continue
            }
            if removed.contains(line) {
                close()
                boilerplate.append(Part(span: line, text: scalars[line]))
                continue
            }
            if let open = current, !Self.endsSentence(scalars.scalars[open.end - 1]) {
                current = TextSpan(open.start, trimmed.end)
            } else {
                close()
                current = trimmed
            }
        }
        close()
    }

    /// Whether a line ending in `scalar` ends its paragraph.
    private static func endsSentence(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", "؟", "۔", ":", "…", "\"", "»", "”", "'", ")", "]": true
        default: false
        }
    }

    /// The span without leading and trailing white space.
    private static func trimmed(_ span: TextSpan, in text: ScalarText) -> TextSpan {
        var start = span.start
        var end = span.end
        while start < end, text.scalars[start].properties.isWhitespace { start += 1 }
        while end > start, text.scalars[end - 1].properties.isWhitespace { end -= 1 }
        return TextSpan(start, end)
    }
}
