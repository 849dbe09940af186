import Foundation
import SiftEntityTagger
public import SiftPluginAPI
import SiftTextToolkit

/// The `entities` plugin: the people, organisations, places and other named entities of each
/// document — every mention with its offsets, canonical form and confidence, and the distinct
/// entities ranked by salience.
///
/// The entity tagger's ``EntityRecognizer`` does the work: Arabic is tagged by the trained model,
/// English and French by rules. The result says which tagger ran, or that the document's language
/// has none. It provides one capability, `entities`: `mentions` (every mention, in text order) and
/// `distinct` (the entities they resolve to, most salient first; a mention's `entity` is an index
/// into it).
public struct EntitiesPlugin: DocumentProcessor {
    /// The registry entry.
    public static let registration = PluginRegistration(
        descriptor: PluginDescriptor(
            name: "entities",
            version: "2.0.0",
            summary: "Finds people, organisations, places and other names; merges their mentions into ranked entities.",
            requires: ["language"],
            provides: ["entities"],
            options: [
                PluginOptionSpec(
                    "model", .string, default: "",
                    summary: "An entity model written by `siftd train ner`; empty for the bundled one."
                ),
                PluginOptionSpec(
                    "min_confidence", .number(0...1), default: 0.0,
                    summary: "Mentions below this confidence are left out."
                ),
            ]
        ),
        makeProcessor: { context in
            let path: String = try context.options.value("model")
            let model: EntityModel
            do {
                model = try models.model(at: path.isEmpty ? BundledEntityModel.url() : URL(fileURLWithPath: path))
            } catch let error as EntityModelError {
                throw PluginError(.invalidOption, "option 'model': \(error.message)")
            }
            return EntitiesPlugin(
                recognizer: EntityRecognizer(model: model, minimumConfidence: try context.options.value("min_confidence")))
        }
    )

    /// Models loaded by any stage of the process.
    static let models = ModelCache { try EntityModel(contentsOf: $0) }

    let recognizer: EntityRecognizer

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        let language = document.languageCode
        let text = DocumentScalars.of(document)
        guard let result = try recognizer.recognize(text, language: language, regions: document.contentRegions(in: text)) else {
            return [
                "entities": [
                    "language": .string(language), "supported": false, "tagger": .null,
                    "mentions": [], "distinct": [],
                ]
            ]
        }
        return [
            "entities": [
                "language": .string(language),
                "supported": true,
                "tagger": .string(result.tagger),
                "mentions": .array(
                    result.mentions.map { mention in
                        [
                            "text": .string(mention.text), "type": .string(mention.type), "start": .int(mention.span.start),
                            "end": .int(mention.span.end), "canonical": .string(mention.canonical),
                            "confidence": .double((mention.confidence * 1000).rounded() / 1000),
                            "entity": mention.entity.map(JSONValue.int) ?? .null,
                        ]
                    }),
                "distinct": .array(
                    result.entities.map { entity in
                        [
                            "canonical": .string(entity.canonical), "type": .string(entity.type), "mentions": .int(entity.mentions),
                            "first": .int(entity.first), "salience": .double(entity.salience),
                            "forms": .array(entity.forms.map(JSONValue.string)),
                        ]
                    }),
            ]
        ]
    }
}
