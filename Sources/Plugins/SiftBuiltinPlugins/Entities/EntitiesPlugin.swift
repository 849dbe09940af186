import Foundation
public import SiftPluginAPI
import SiftEntityTagger
import SiftTextToolkit

/// The `entities` plugin: the people, organisations, places and other named entities of each
/// document — every mention with its offsets, canonical form and confidence, and the distinct
/// entities ranked by salience.
///
/// Arabic is tagged by the trained model; English and French by rules (``CapitalizedNameTagger``).
/// The result says which tagger ran, or that the document's language has none. It provides one
/// capability, `entities`: `mentions` (every mention, in text order) and `distinct` (the entities
/// they resolve to, most salient first; a mention's `entity` is an index into it).
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
            let path = context.options.string("model").flatMap { $0.isEmpty ? nil : $0 }
            let model: EntityModel
            do {
                model = try models.model(at: try path.map { URL(fileURLWithPath: $0) } ?? BundledEntityModel.url())
            } catch let error as EntityModelError {
                throw PluginError(.invalidOption, "option 'model': \(error.message)")
            }
            return EntitiesPlugin(model: model, minimumConfidence: context.options.double("min_confidence") ?? 0)
        }
    )

    /// Models loaded by any stage of the process.
    static let models = ModelCache { try EntityModel(contentsOf: $0) }

    /// The languages each tagger handles.
    static let arabicLanguages: Set<String> = ["ar"]
    static let ruleLanguages: Set<String> = ["en", "fr"]

    let model: EntityModel
    let minimumConfidence: Double

    init(model: EntityModel, minimumConfidence: Double) {
        self.model = model
        self.minimumConfidence = minimumConfidence
    }

    public func process(_ document: Document) async throws -> [String: JSONValue] {
        let language = document.languageCode
        let text = ScalarText(document.text)
        let regions = document.contentRegions(in: text)
        let tagger: String
        var mentions: [EntityMention]
        if Self.arabicLanguages.contains(language) {
            tagger = "arabic-\(model.algorithm.rawValue)"
            mentions = try ArabicEntityFinder(model: model).mentions(in: text, regions: regions)
        } else if Self.ruleLanguages.contains(language) {
            tagger = "rules-\(language)"
            mentions = CapitalizedNameTagger(language: language, lexicon: model.features.lexicon).mentions(in: text, regions: regions)
        } else {
            return [
                "entities": [
                    "language": .string(language), "supported": false, "tagger": .null,
                    "mentions": [], "distinct": [],
                ]
            ]
        }
        mentions = mentions.filter { $0.confidence >= minimumConfidence }
        let leadEnd = regions.count > 1 ? regions[1].end : (regions.first?.end ?? 0)
        let entities = EntityResolver(aliases: model.aliases).resolve(&mentions, text: text.scalars, leadEnd: leadEnd)
        return [
            "entities": [
                "language": .string(language),
                "supported": true,
                "tagger": .string(tagger),
                "mentions": .array(mentions.map { mention in
                    [
                        "text": .string(mention.text), "type": .string(mention.type), "start": .int(mention.span.start),
                        "end": .int(mention.span.end), "canonical": .string(mention.canonical),
                        "confidence": .double((mention.confidence * 1000).rounded() / 1000),
                        "entity": mention.entity.map(JSONValue.int) ?? .null,
                    ]
                }),
                "distinct": .array(entities.map { entity in
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
