import Foundation
public import SiftPluginAPI
import SiftSummarizer
import SiftTextToolkit

/// The `summary` plugin: an extractive summary of each document in its own language — the
/// chosen sentences in document order with their offsets and scores, the summary text — and
/// the document's key phrases.
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
                PluginOptionSpec("words", .integer(0...100_000), default: 0, summary: "Summary length in words; 0: not used. The last sentence may run past it."),
                PluginOptionSpec("ratio", .number(0...1), default: 0.0, summary: "Summary length as a share of the document's words; 0: not used."),
                PluginOptionSpec("key_phrases", .integer(0...20), default: 10, summary: "The most key phrases listed (0: none)."),
            ]
        ),
        makeProcessor: { context in
            let words = context.options.int("words") ?? 0
            let ratio = context.options.double("ratio") ?? 0
            guard words == 0 || ratio == 0 else { throw PluginError(.invalidOption, "options 'words' and 'ratio': set one of them, not both") }
            let length: SummaryLength =
                words > 0 ? .words(words) : ratio > 0 ? .ratio(ratio) : .sentences(context.options.int("sentences") ?? 3)
            return SummaryPlugin(length: length, keyPhrases: context.options.int("key_phrases") ?? 10)
        }
    )

    let length: SummaryLength
    let keyPhrases: Int
    let summarizer = ExtractiveSummarizer()

    init(length: SummaryLength, keyPhrases: Int) {
        self.length = length
        self.keyPhrases = keyPhrases
    }

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        let language = document.languageCode
        let text = ScalarText(document.text)
        let content = document.contentRegions(in: text)
        let title = document.value(for: "title")?.stringValue ?? document.title
        // The title line (its words, whatever the markup around them) is not a sentence of the summary,
        // nor is it when it opens a paragraph (a headline without a full stop runs into the next line).
        let scanner = WordScanner()
        let titleWords = title.map { scanner.keys(of: $0) } ?? []
        let regions = content.filter { region in
            titleWords.isEmpty || content.count < 2 || scanner.keys(of: text[region]) != titleWords
        }.map { region in Self.withoutLeadingTitle(region, title: title, in: text) }
        let summaryDocument = SummaryDocument(text: text, language: language, regions: regions, title: title)
        try Task.checkCancellation()
        var entityWeights: [UInt64: Double] = [:]
        for entity in document.value(for: "entities")?["distinct"]?.arrayValue ?? [] {
            guard let name = entity["canonical"]?.stringValue, let salience = entity["salience"]?.doubleValue else { continue }
            for term in summaryDocument.terms(of: name) { entityWeights[term] = max(entityWeights[term] ?? 0, salience) }
        }
        let sentences = summarizer.summarize(summaryDocument, length: length, entities: entityWeights)
        try Task.checkCancellation()
        var extractor = KeyPhraseExtractor()
        extractor.maximum = keyPhrases
        extractor.minimum = min(extractor.minimum, keyPhrases)
        let phrases = keyPhrases > 0 ? extractor.phrases(of: summaryDocument, entities: entityWeights) : []
        return [
            "summary": [
                "language": .string(language),
                "length": Self.rendered(length),
                "sentences": .array(sentences.map { sentence in
                    [
                        "index": .int(sentence.index), "start": .int(sentence.span.start), "end": .int(sentence.span.end),
                        "score": .double((sentence.score * 1000).rounded() / 1000),
                    ]
                }),
                "text": .string(sentences.map { text[$0.span] }.joined(separator: " ")),
                "key_phrases": .array(phrases.map { ["text": .string($0.text), "score": .double($0.score)] }),
            ]
        ]
    }

    /// `region` without `title` and the white space after it, when the region begins with the title
    /// and goes on past it.
    static func withoutLeadingTitle(_ region: TextSpan, title: String?, in text: ScalarText) -> TextSpan {
        guard let title = title?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty else { return region }
        let titleScalars = Array(title.unicodeScalars)
        guard region.end - region.start > titleScalars.count,
            text.scalars[region.start..<region.start + titleScalars.count].elementsEqual(titleScalars)
        else { return region }
        var start = region.start + titleScalars.count
        guard text.scalars[start].properties.isWhitespace else { return region }
        while start < region.end, text.scalars[start].properties.isWhitespace { start += 1 }
        return start < region.end ? TextSpan(start, region.end) : region
    }

    static func rendered(_ length: SummaryLength) -> JSONValue {
        switch length {
        case .sentences(let count): ["sentences": .int(count)]
        case .words(let count): ["words": .int(count)]
        case .ratio(let ratio): ["ratio": .double(ratio)]
        }
    }
}
