public import SiftPluginAPI

/// The `text` plugin: paragraph, sentence and word counts, the scripts present, and the title.
///
/// It provides `counts`, `scripts` (letters per script, the most frequent first: the first is the
/// document's dominant script) and `title` (a string, or null).
public struct TextStatsPlugin: DocumentProcessor {
    /// The registry entry.
    public static let registration = PluginRegistration(
        descriptor: PluginDescriptor(
            name: "text",
            version: "2.0.0",
            summary: "Counts paragraphs, sentences and words, measures the scripts present, finds the title.",
            provides: ["counts", "scripts", "title"],
            options: [
                PluginOptionSpec(
                    "max_title_length", .integer(10...1000), default: 200,
                    summary: "The longest first line, in characters, taken as a title when the input has none."
                )
            ]
        ),
        makeProcessor: { context in
            TextStatsPlugin(maxTitleLength: context.options.int("max_title_length") ?? 200)
        }
    )

    /// The longest first line taken as a title.
    public var maxTitleLength: Int

    /// Creates the plugin.
    public init(maxTitleLength: Int = 200) {
        self.maxTitleLength = maxTitleLength
    }

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        let statistics = TextStatistics(document.text)
        let totalLetters = statistics.letters.values.reduce(0, +)
        let scripts = statistics.letters
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { script, count -> JSONValue in
                let proportion = Double(count) / Double(max(totalLetters, 1))
                return [
                    "script": .string(script.rawValue),
                    "letters": .int(count),
                    "proportion": .double((proportion * 10_000).rounded() / 10_000),
                ]
            }
        let title = document.title ?? firstLineTitle(document.text)
        return [
            "counts": [
                "paragraphs": .int(statistics.paragraphs),
                "sentences": .int(statistics.sentences),
                "words": .int(statistics.words),
                "numbers": .int(statistics.numbers),
                "lines": .int(statistics.lines),
                "characters": .int(statistics.characters),
            ],
            "scripts": .array(scripts),
            "title": title.map(JSONValue.string) ?? .null,
        ]
    }

    /// The first line, when it reads as a headline: short, not a sentence, and followed by more text.
    /// A single word before a headline is the page's section label ("عالمي", "World"): the headline
    /// after it is the title.
    func firstLineTitle(_ text: String) -> String? {
        let lines = text.split(separator: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard lines.count > 1 else { return nil }
        if lines.count > 2, !lines[0].contains(where: \.isWhitespace), let headline = headline(lines[1]) {
            return headline
        }
        return headline(lines[0])
    }

    /// `line`, when it reads as a headline: short, with letters, not ending like a sentence.
    private func headline(_ line: Substring) -> String? {
        guard line.unicodeScalars.count <= maxTitleLength, let last = line.unicodeScalars.last else { return nil }
        if [".", "،", ",", ":", ";", "؛"].contains(last) { return nil }
        guard line.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { return nil }
        return String(line)
    }
}
