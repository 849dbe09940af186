import Foundation
import SiftLanguageID
public import SiftPluginAPI
import SiftTextToolkit

/// The `language` plugin: the document's language with its confidence and the best candidates,
/// the language of each paragraph when the document mixes languages, and the document's content
/// without web boilerplate (share buttons, comment prompts, related links) for the plugins after it.
///
/// The content is the text toolkit's ``DocumentContent``; the languages are
/// ``DocumentLanguageDetector``'s.
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
            let path: String = try context.options.value("model")
            let model: LanguageModel
            do {
                model = try models.model(at: path.isEmpty ? BundledLanguageModel.url() : URL(fileURLWithPath: path))
            } catch let error as LanguageModelError {
                throw PluginError(.invalidOption, "option 'model': \(error.message)")
            }
            return LanguagePlugin(
                detector: DocumentLanguageDetector(
                    model: model, minimumConfidence: try context.options.value("min_confidence"),
                    maximumWords: try context.options.value("max_words")),
                trimsBoilerplate: try context.options.value("trim_boilerplate"))
        }
    )

    /// Models loaded by any stage of the process.
    static let models = ModelCache { try LanguageModel(contentsOf: $0) }

    let detector: DocumentLanguageDetector
    let trimsBoilerplate: Bool

    /// Creates the plugin.
    init(detector: DocumentLanguageDetector, trimsBoilerplate: Bool) {
        self.detector = detector
        self.trimsBoilerplate = trimsBoilerplate
    }

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        let content = DocumentContent(document.text, scalars: DocumentScalars.of(document), trimsBoilerplate: trimsBoilerplate)
        let result = try detector.detect(content)
        var language: [String: JSONValue] = [
            "code": .string(result.code),
            "confidence": .double(result.confidence),
            "candidates": .array(result.candidates.map { ["code": .string($0.code), "score": .double($0.score)] }),
            "mixed": .bool(result.mixed),
        ]
        if result.mixed {
            language["paragraphs"] = .array(
                result.paragraphs.map { paragraph in
                    [
                        "start": .int(paragraph.span.start), "end": .int(paragraph.span.end),
                        "code": .string(paragraph.code), "confidence": .double(paragraph.confidence),
                    ]
                })
        }
        return [
            "language": .object(language),
            "content": [
                "paragraphs": .array(content.paragraphs.map { ["start": .int($0.span.start), "end": .int($0.span.end)] }),
                "boilerplate": .array(
                    content.boilerplate.map {
                        ["start": .int($0.span.start), "end": .int($0.span.end), "text": .string($0.text)]
                    }),
            ],
        ]
    }
}
