import SiftTextToolkit

/// Names gathered from unlabelled text by a trained tagger: every name it tags often enough,
/// and nearly always with the same type, becomes a gazetteer entry for the next model. News
/// written after the labelled corpus names other people and organisations; this is how the
/// tagger learns of them without labels. Abbreviations in brackets after a name (حلف شمال
/// الأطلسي (الناتو)) are gathered too: a document that uses both names apart means one
/// organisation.
public struct EntityHarvester: Sendable {
    /// Names seen fewer times are left out.
    public var minimumCount = 3
    /// The share of a name's mentions that must agree on its type.
    public var minimumAgreement = 0.85

    /// Abbreviations seen fewer times after a name are left out.
    public var minimumAliasCount = 2

    private var counts: [String: [String: Int]] = [:]  // canonical → type → mentions
    private var aliasCounts: [String: [String: Int]] = [:]  // short key → full name's key → times

    public init() {}

    /// Tags a text with `model` and counts its names (as the tagger found them: not spread).
    public mutating func add(text: String, model: EntityModel) {
        let document = TokenizedDocument(ScalarText(text))
        let words = document.words
        let canonicalizer = EntityCanonicalizer { model.features.knows($0) }
        for (sentence, tags) in zip(words, model.tag(document: words, spreadingNames: false)) {
            let entities = EntityEvaluation.entities(tags)
            for (index, entity) in entities.enumerated() {
                let name = canonicalizer.canonical(Array(sentence[entity.range]))
                counts[name, default: [:]][entity.type, default: 0] += 1
                // A name, then a shorter one of its type in brackets: "حلف شمال الأطلسي (الناتو)";
                // after an organisation, a word in brackets the tagger left alone: "وكالة الأنباء السعودية (واس)".
                let open = entity.range.upperBound
                guard entity.range.count >= 2, open + 2 < sentence.count, sentence[open] == "(" else { continue }
                let short: Range<Int>
                if index + 1 < entities.count, entities[index + 1].range.lowerBound == open + 1 {
                    guard entities[index + 1].type == entity.type, entities[index + 1].range.count < entity.range.count else { continue }
                    short = entities[index + 1].range
                } else if entity.type == "ORG", tags[open + 1] == EntityTagSet.outside,
                    sentence[open + 1].unicodeScalars.allSatisfy(\.properties.isAlphabetic)
                {
                    short = (open + 1)..<(open + 2)
                } else {
                    continue
                }
                guard short.upperBound < sentence.count, sentence[short.upperBound] == ")" else { continue }
                let abbreviation = EntityCanonicalizer.key(canonicalizer.canonical(Array(sentence[short])))
                aliasCounts[abbreviation, default: [:]][EntityCanonicalizer.key(name), default: 0] += 1
            }
        }
    }

    /// Abbreviations and the full names they stand for (both as ``EntityCanonicalizer/key(_:)``):
    /// those seen often enough, and nearly always for the same name.
    public func aliases() -> [String: String] {
        var aliases: [String: String] = [:]
        for (short, names) in aliasCounts {
            let total = names.values.reduce(0, +)
            guard let (name, count) = names.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
                count >= minimumAliasCount, Double(count) >= minimumAgreement * Double(total)
            else { continue }
            aliases[short] = name
        }
        return aliases
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
