import SiftTextToolkit

/// Names gathered from unlabelled text by a trained tagger: every name it tags often enough,
/// and nearly always with the same type, becomes a gazetteer entry for the next model. News
/// written after the labelled corpus names other people and organisations; this is how the
/// tagger learns of them without labels.
public struct EntityHarvester: Sendable {
    /// Names seen fewer times are left out.
    public var minimumCount = 3
    /// The share of a name's mentions that must agree on its type.
    public var minimumAgreement = 0.85

    private var counts: [String: [String: Int]] = [:]  // canonical → type → mentions

    public init() {}

    /// Tags a text with `model` and counts its names (as the tagger found them: not spread).
    public mutating func add(text: String, model: EntityModel) {
        let document = TokenizedDocument(ScalarText(text))
        let words = document.words
        let canonicalizer = EntityCanonicalizer { model.features.knows($0) }
        for (sentence, tags) in zip(words, model.tag(document: words, spreadingNames: false)) {
            for entity in EntityEvaluation.entities(tags) {
                let name = canonicalizer.canonical(Array(sentence[entity.range]))
                counts[name, default: [:]][entity.type, default: 0] += 1
            }
        }
    }

    /// The names that qualify, per type.
    public func names() -> [String: [String]] {
        var names: [String: [String]] = [:]
        for (name, types) in counts.sorted(by: { $0.key < $1.key }) {
            let total = types.values.reduce(0, +)
            guard total >= minimumCount, let (type, count) = types.max(by: { $0.value < $1.value }),
                Double(count) >= minimumAgreement * Double(total)
            else { continue }
            names[type, default: []].append(name)
        }
        return names
    }
}
