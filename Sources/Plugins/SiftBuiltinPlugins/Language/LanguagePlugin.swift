public import SiftPluginAPI
import Foundation
import SiftLanguageID
import SiftTextToolkit

/// The `language` plugin: the document's language with its confidence and the best candidates,
/// the language of each paragraph when the document mixes languages, and the document's content
/// without web boilerplate (share buttons, comment prompts, related links) for the plugins after it.
public struct LanguagePlugin: DocumentProcessor {
    /// The registry entry.
    public static let registration = PluginRegistration(
        descriptor: PluginDescriptor(
            name: "language",
            version: "1.0.0",
            summary: "Identifies the language of the document and of its paragraphs; marks boilerplate lines.",
            provides: ["language", "content"],
            options: [
                PluginOptionSpec(
                    "model", .string, default: "",
                    summary: "A model file written by `siftd train langid`; empty for the bundled model."
                ),
                PluginOptionSpec(
                    "min_confidence", .number(0...1), default: 0.5,
                    summary: "Below this confidence the language is reported as `und`."
                ),
                PluginOptionSpec(
                    "max_words", .integer(10...1_000_000), default: 1000,
                    summary: "Words read to judge the whole document (each paragraph is judged on its first 200)."
                ),
                PluginOptionSpec(
                    "trim_boilerplate", .boolean, default: true,
                    summary: "Leave share, comment and related-article lines out of the content later plugins read."
                ),
            ]
        ),
        makeProcessor: { context in
            let path = context.options.string("model").flatMap { $0.isEmpty ? nil : $0 }
            let model: LanguageModel
            do {
                model = try models.model(at: try path.map { URL(fileURLWithPath: $0) } ?? BundledLanguageModel.url())
            } catch let error as LanguageModelError {
                throw PluginError(.invalidOption, "option 'model': \(error.message)")
            }
            return LanguagePlugin(
                model: model, minimumConfidence: context.options.double("min_confidence") ?? 0.5,
                maximumWords: context.options.int("max_words") ?? 1000,
                trimsBoilerplate: context.options.bool("trim_boilerplate") ?? true)
        }
    )

    /// Models loaded by any stage of the process.
    static let models = ModelCache { try LanguageModel(contentsOf: $0) }

    /// Paragraphs shorter than this many words do not make a document mixed.
    static let minimumParagraphWords = 6
    /// Nor do paragraphs judged with less confidence.
    static let paragraphConfidence = 0.95

    let documentDetector: LanguageDetector
    let paragraphDetector: LanguageDetector
    let minimumConfidence: Double
    let trimsBoilerplate: Bool

    /// Creates the plugin.
    init(model: LanguageModel, minimumConfidence: Double, maximumWords: Int, trimsBoilerplate: Bool) {
        self.documentDetector = LanguageDetector(model: model, maximumWords: maximumWords)
        self.paragraphDetector = LanguageDetector(model: model, maximumWords: 200)
        self.minimumConfidence = minimumConfidence
        self.trimsBoilerplate = trimsBoilerplate
    }

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        let content = DocumentContent(document.text, trimsBoilerplate: trimsBoilerplate)
        let guess = documentDetector.detect(content.text)
        let code = guess.confidence >= minimumConfidence ? guess.code : "und"

        var paragraphs: [JSONValue] = []
        var reliableCodes: Set<String> = []
        for paragraph in content.paragraphs {
            try Task.checkCancellation()
            let paragraphGuess = paragraphDetector.detect(paragraph.text)
            let reliable = paragraphGuess.wordsRead >= Self.minimumParagraphWords && paragraphGuess.confidence >= Self.paragraphConfidence
            if reliable { reliableCodes.insert(paragraphGuess.code) }
            paragraphs.append([
                "start": .int(paragraph.span.start), "end": .int(paragraph.span.end),
                "code": .string(paragraphGuess.confidence >= minimumConfidence ? paragraphGuess.code : "und"),
                "confidence": .double(paragraphGuess.confidence),
            ])
        }
        let mixed = reliableCodes.count > 1
        var language: [String: JSONValue] = [
            "code": .string(code),
            "confidence": .double(code == "und" ? 0 : guess.confidence),
            "candidates": .array(guess.candidates.map { ["code": .string($0.code), "score": .double($0.score)] }),
            "mixed": .bool(mixed),
        ]
        if mixed { language["paragraphs"] = .array(paragraphs) }
        return [
            "language": .object(language),
            "content": [
                "paragraphs": .array(content.paragraphs.map { ["start": .int($0.span.start), "end": .int($0.span.end)] }),
                "boilerplate": .array(content.boilerplate.map {
                    ["start": .int($0.span.start), "end": .int($0.span.end), "text": .string($0.text)]
                }),
            ],
        ]
    }
}
