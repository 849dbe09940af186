/// Finds a document's title in its text, for inputs that give none: the first line, when it
/// reads as a headline — short, with letters, not ending like a sentence, and followed by more
/// text. A single word before a headline is the page's section label ("عالمي", "World"): the
/// headline after it is the title.
public struct HeadlineFinder: Sendable {
    /// The longest line, in Unicode scalars, taken as a headline.
    public var maximumLength: Int

    /// Creates a finder that takes lines of at most `maximumLength` Unicode scalars.
    public init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    /// The headline that opens `text`, trimmed; `nil` when the text has a single line or its
    /// opening lines do not read as a headline.
    public func title(of text: String) -> String? {
        // The first three lines with text are all it reads, whatever the length of the text.
        var lines: [Substring] = []
        var start = text.startIndex
        while lines.count < 3, start < text.endIndex {
            let end = text.utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            let line = text[start..<end].trimmingWhitespace()
            if !line.isEmpty { lines.append(line) }
            start = end < text.endIndex ? text.utf8.index(after: end) : end
        }
        guard lines.count > 1 else { return nil }
        if lines.count > 2, !lines[0].contains(where: \.isWhitespace), let headline = headline(lines[1]) {
            return headline
        }
        return headline(lines[0])
    }

    /// `line`, when it reads as a headline: short, with letters, not ending like a sentence.
    private func headline(_ line: Substring) -> String? {
        guard line.unicodeScalars.count <= maximumLength, let last = line.unicodeScalars.last else { return nil }
        if [".", "،", ",", ":", ";", "؛"].contains(last) { return nil }
        guard line.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { return nil }
        return String(line)
    }
}
