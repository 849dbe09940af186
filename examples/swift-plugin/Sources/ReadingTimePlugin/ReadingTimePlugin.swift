public import SiftPluginAPI

/// The `reading_time` plugin: how long the document takes to read, from the word count the
/// built-in `text` plugin provides.
public struct ReadingTimePlugin: DocumentProcessor {
    /// The registry entry: the plugin's name, what it needs and gives, and its options.
    public static let registration = PluginRegistration(
        descriptor: PluginDescriptor(
            name: "reading_time",
            version: "1.0.0",
            summary: "Estimates the reading time from the word count.",
            requires: ["counts"],
            provides: ["reading_time"],
            options: [
                PluginOptionSpec("words_per_minute", .integer(50...1000), default: 180, summary: "The reading speed.")
            ]
        ),
        makeProcessor: { context in
            ReadingTimePlugin(wordsPerMinute: try context.options.value("words_per_minute"))
        }
    )

    /// The reading speed, in words a minute.
    public var wordsPerMinute: Int

    /// Creates the plugin.
    public init(wordsPerMinute: Int) {
        self.wordsPerMinute = wordsPerMinute
    }

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        guard let words = document.value(for: "counts")?["words"]?.intValue else {
            throw PluginError(.invalidInput, "the document has no word count")
        }
        let seconds = (words * 60 + wordsPerMinute - 1) / wordsPerMinute
        return ["reading_time": ["seconds": .int(seconds), "words_per_minute": .int(wordsPerMinute)]]
    }
}
