public import SiftPluginAPI
import SiftSummarizer
import SiftTextToolkit

/// The `summary` plugin: an extractive summary of each document in its own language — the
/// chosen sentences in document order with their offsets and scores, the summary text — and
/// the document's key phrases, by the summarizer's ``DocumentSummarizer``.
///
/// It reads what the `language` plugin leaves for later plugins (`content.paragraphs`:
/// boilerplate is never summarised), the title when the `text` plugin found one, and the
/// entities' salience when the `entities` plugin ran before it.
public struct SummaryPlugin: DocumentProcessor {
    /// The registry entry.
    public static let registration = PluginRegistration(
        descriptor: PluginDescriptor(
            name: "summary",
            version: "1.0.0",
            summary: "Picks the sentences that summarise a document (position, centrality, title, entities, no repetition); finds its key phrases.",
            requires: ["language"],
            provides: ["summary"],
            options: [
                PluginOptionSpec("sentences", .integer(1...100), default: 3, summary: "Summary length in sentences (unless words or ratio is set)."),
                PluginOptionSpec(
                    "words", .integer(0...100_000), default: 0, summary: "Summary length in words; 0: not used. The last sentence may run past it."),
                PluginOptionSpec("ratio", .number(0...1), default: 0.0, summary: "Summary length as a share of the document's words; 0: not used."),
                PluginOptionSpec("key_phrases", .integer(0...20), default: 10, summary: "The most key phrases listed (0: none)."),
            ]
        ),
        makeProcessor: { context in
            let sentences: Int = try context.options.value("sentences")
            let words: Int = try context.options.value("words")
            let ratio: Double = try context.options.value("ratio")
            guard words == 0 || ratio == 0 else { throw PluginError(.invalidOption, "options 'words' and 'ratio': set one of them, not both") }
            let length: SummaryLength = words > 0 ? .words(words) : ratio > 0 ? .ratio(ratio) : .sentences(sentences)
            return SummaryPlugin(summarizer: DocumentSummarizer(length: length, keyPhrases: try context.options.value("key_phrases")))
        }
    )

    let summarizer: DocumentSummarizer

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        let language = document.languageCode
        let text = DocumentScalars.of(document)
        let entities = (document.value(for: "entities")?["distinct"]?.arrayValue ?? []).compactMap { entity -> DocumentSummarizer.Entity? in
            guard let name = entity["canonical"]?.stringValue, let salience = entity["salience"]?.doubleValue else { return nil }
            return DocumentSummarizer.Entity(name: name, salience: salience)
        }
        let summary = try summarizer.summarize(
            text, language: language, regions: document.contentRegions(in: text),
            title: document.value(for: "title")?.stringValue ?? document.title, entities: entities)
        return [
            "summary": [
                "language": .string(language),
                "length": Self.rendered(summarizer.length),
                "sentences": .array(
                    summary.sentences.map { sentence in
                        [
                            "index": .int(sentence.index), "start": .int(sentence.span.start), "end": .int(sentence.span.end),
                            "score": .double((sentence.score * 1000).rounded() / 1000),
                        ]
                    }),
                "text": .string(summary.text),
                "key_phrases": .array(summary.keyPhrases.map { ["text": .string($0.text), "score": .double($0.score)] }),
            ]
        ]
    }

    static func rendered(_ length: SummaryLength) -> JSONValue {
        switch length {
        case .sentences(let count): ["sentences": .int(count)]
        case .words(let count): ["words": .int(count)]
        case .ratio(let ratio): ["ratio": .double(ratio)]
        }
    }
}
