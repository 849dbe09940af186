/// A document's text cut into paragraphs, with the boilerplate lines set apart.
///
/// A paragraph is a line (one paragraph per line is how most extracted articles come), joined
/// with the lines after it while it does not end a sentence (hard-wrapped text); blank lines
/// always separate. Boilerplate lines are those ``BoilerplateTrimmer`` finds. Spans are Unicode
/// scalar offsets into the document's text, which is never changed.
public struct DocumentContent: Sendable {
    /// A paragraph or a boilerplate line.
    public struct Part: Sendable, Equatable {
        /// Where it is in the document's text.
        public var span: TextSpan
        /// Its text.
        public var text: String
    }

    /// The paragraphs, boilerplate left out.
    public var paragraphs: [Part] = []
    /// The boilerplate lines.
    public var boilerplate: [Part] = []
    /// The paragraphs joined by newlines: what a document-wide analysis (its language) reads.
    public var text: String { paragraphs.map(\.text).joined(separator: "\n") }

    /// Cuts `text` into paragraphs; with `trimsBoilerplate`, sets its boilerplate lines apart
    /// (otherwise every line belongs to a paragraph).
    public init(_ text: String, trimsBoilerplate: Bool) {
        self.init(text, scalars: ScalarText(text), trimsBoilerplate: trimsBoilerplate)
    }

    /// The same, for a text already decoded (`scalars` must be `text`'s).
    public init(_ text: String, scalars: ScalarText, trimsBoilerplate: Bool) {
        var lines: [TextSpan] = []
        var start = 0
        for (index, scalar) in scalars.scalars.enumerated() where scalar == "\n" {
            lines.append(TextSpan(start, index))
            start = index + 1
        }
        lines.append(TextSpan(start, scalars.scalars.count))
        let removed = trimsBoilerplate ? Set(BoilerplateTrimmer().boilerplateLines(scalars.scalars)) : []
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

    /// The spans of `text` an analysis reads, given the content paragraphs found earlier (as
    /// ``paragraphs``' spans, possibly passed on by another program): those that lie within the
    /// text, or the whole text when none does.
    public static func readingRegions(paragraphs: [TextSpan], in text: ScalarText) -> [TextSpan] {
        let valid = paragraphs.filter { 0 <= $0.start && $0.start <= $0.end && $0.end <= text.scalars.count }
        return valid.isEmpty ? [TextSpan(0, text.scalars.count)] : valid
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
        while start < end, Tokenizer.isSpace(text.scalars[start]) { start += 1 }
        while end > start, Tokenizer.isSpace(text.scalars[end - 1]) { end -= 1 }
        return TextSpan(start, end)
    }
}
