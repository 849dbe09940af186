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

    /// Words seen fewer times get no name rate.
    public var minimumWordCount = 3

    private var counts: [String: [String: Int]] = [:]  // canonical → type → mentions
    /// Per folded word (``EntityLexicon/wordHash(_:)``): times outside a name, then inside one of each type.
    private var wordCounts = HashKeyedMap<[UInt32]>(capacity: 1 << 16)
    private var words: [UInt64] = []
    private var aliasCounts: [String: [String: Int]] = [:]  // short key → full name's key → times

    public init() {}

    /// Tags a text with `model` and counts its names (as the tagger found them: not spread).
    public mutating func add(text: String, model: EntityModel) {
        let document = TokenizedDocument(ScalarText(text))
        let words = document.words
        let canonicalizer = EntityCanonicalizer { model.features.knows($0) }
        for (sentence, tags) in zip(words, model.tag(document: words, spreadingNames: false)) {
            for (token, tag) in zip(sentence, tags) where token.unicodeScalars.contains(where: \.properties.isAlphabetic) {
                let key = EntityLexicon.wordHash(EntityLexicon.fold(token))
                var row = wordCounts[key] ?? {
                    self.words.append(key)
                    return [UInt32](repeating: 0, count: EntityTagSet.types.count + 1)
                }()
                row[tag == EntityTagSet.outside ? 0 : (tag - 1) / 2 + 1] += 1
                wordCounts[key] = row
            }
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

    /// How often the tagger put each word inside a name, for words seen at least
    /// ``minimumWordCount`` times: per ``EntityLexicon/wordHash(_:)`` of the folded word, a
    /// value whose high four bits are a band of the share of its mentions inside names (0
    /// never … 6 nearly always: ``nameRateBand(_:)``) and whose low four bits are the type it
    /// mostly has inside names (index in ``EntityTagSet/types``; 15 when no type has 60% of them).
    /// A first name or a foreign surname the labelled corpus never saw is inside names in most
    /// of its mentions in news; a common word in almost none.
    public func nameRates() -> [(hash: UInt64, value: UInt8)] {
        words.sorted().compactMap { key in
            let row = wordCounts[key]!
            let total = row.reduce(0, +)
            guard total >= UInt32(minimumWordCount) else { return nil }
            let inside = total - row[0]
            let best = row.indices.dropFirst().max { row[$0] < row[$1] }!
            let type: UInt8 = inside > 0 && Double(row[best]) >= 0.6 * Double(inside) ? UInt8(best - 1) : 15
            return (key, Self.nameRateBand(Double(inside) / Double(total)) << 4 | type)
        }
    }

    /// A band of the share of a word's mentions inside names: 0 none, 1 up to 5%, 2 up to 20%,
    /// 3 up to half, 4 up to 80%, 5 up to 95%, 6 above.
    static func nameRateBand(_ share: Double) -> UInt8 {
        share == 0 ? 0 : share <= 0.05 ? 1 : share <= 0.2 ? 2 : share <= 0.5 ? 3 : share <= 0.8 ? 4 : share <= 0.95 ? 5 : 6
    }
}
