import SiftTextToolkit

/// Finds a document's named entities with the tagger for its language — the trained model for
/// Arabic (``ArabicEntityFinder``), rules for English and French (``CapitalizedNameTagger``) —
/// and resolves the mentions into entities ranked by salience (``EntityResolver``).
public struct EntityRecognizer: Sendable {
    /// A document's entities.
    public struct Result: Sendable, Equatable {
        /// Which tagger ran: `arabic-<algorithm>` or `rules-<language>`.
        public var tagger: String
        /// Every mention at or above the minimum confidence, in text order, each with its entity.
        public var mentions: [EntityMention]
        /// The entities the mentions resolve to, most salient first.
        public var entities: [EntityResolver.Entity]
    }

    /// The languages the trained model tags.
    public static let modelLanguages: Set<String> = ["ar"]
    /// The languages the rules tag.
    public static let ruleLanguages: Set<String> = ["en", "fr"]

    /// The trained model, whose gazetteers and aliases also serve the rules and the resolver.
    public let model: EntityModel
    /// Mentions below this confidence are left out.
    public let minimumConfidence: Double

    /// Creates a recognizer.
    public init(model: EntityModel, minimumConfidence: Double) {
        self.model = model
        self.minimumConfidence = minimumConfidence
    }

    /// The entities in `regions` of `text` (the paragraphs to read, in order; the whole text when
    /// empty), read as `language` (an ISO 639-1 code); `nil` when no tagger handles that language.
    /// - Throws: `CancellationError` when the current task is cancelled while the model tags.
    public func recognize(_ text: ScalarText, language: String, regions: [TextSpan]) throws -> Result? {
        let tagger: String
        var mentions: [EntityMention]
        if Self.modelLanguages.contains(language) {
            tagger = "arabic-\(model.algorithm.rawValue)"
            mentions = try ArabicEntityFinder(model: model).mentions(in: text, regions: regions)
        } else if Self.ruleLanguages.contains(language) {
            tagger = "rules-\(language)"
            mentions = CapitalizedNameTagger(lexicon: model.features.lexicon).mentions(in: text, regions: regions)
        } else {
            return nil
        }
        mentions = mentions.filter { $0.confidence >= minimumConfidence }
        // The lead, whose mentions weigh more: the title and first paragraph, the first two regions.
        let leadEnd = regions.count > 1 ? regions[1].end : (regions.first?.end ?? 0)
        let entities = EntityResolver(aliases: model.aliases, aliasFilter: model.aliasFilter).resolve(&mentions, text: text.scalars, leadEnd: leadEnd)
        return Result(tagger: tagger, mentions: mentions, entities: entities)
    }
}
