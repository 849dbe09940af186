public import SiftPluginAPI
import SiftTextToolkit

/// The `text` plugin: paragraph, sentence and word counts, the scripts present, and the title.
///
/// It provides `counts`, `scripts` (letters per script, the most frequent first: the first is the
/// document's dominant script) and `title` (a string, or null). The counts are the text
/// toolkit's ``TextStatistics``; the title is the input's, else its ``HeadlineFinder``'s.
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
            TextStatsPlugin(maxTitleLength: try context.options.value("max_title_length"))
        }
    )

    /// The longest first line taken as a title.
    public var maxTitleLength: Int

    /// Creates the plugin.
    public init(maxTitleLength: Int) {
        self.maxTitleLength = maxTitleLength
    }

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        let statistics = TextStatistics(document.text, scalars: DocumentScalars.of(document).scalars)
        let title = document.title ?? HeadlineFinder(maximumLength: maxTitleLength).title(of: document.text)
        return [
            "counts": [
                "paragraphs": .int(statistics.paragraphs),
                "sentences": .int(statistics.sentences),
                "words": .int(statistics.words),
                "numbers": .int(statistics.numbers),
                "lines": .int(statistics.lines),
                "characters": .int(statistics.characters),
            ],
            "scripts": .array(
                statistics.scripts.map { share in
                    [
                        "script": .string(share.script.rawValue),
                        "letters": .int(share.letters),
                        "proportion": .double((share.proportion * 10_000).rounded() / 10_000),
                    ]
                }),
            "title": title.map(JSONValue.string) ?? .null,
        ]
    }
}
