import SiftTextToolkit

/// Turns a document's mentions into its entities: spellings of one name merged, short
/// references merged into the full name (`ستولتنبرغ` → `ينس ستولتنبرغ`, `حفتر` → `خليفة حفتر`),
/// an abbreviation in brackets merged into the name before it (`حلف شمال الأطلسي (الناتو)`), or
/// anywhere when the model knows it (``EntityModel/aliases``), an organisation's head word
/// alone (`الحلف`) merged into the one organisation named with it,
/// the type settled by majority, and the entities ranked by salience.
public struct EntityResolver: Sendable {
    /// One entity of a document.
    public struct Entity: Sendable, Equatable {
        /// The name, in its fullest form.
        public var canonical: String
        /// `PERS`, `LOC`, `ORG` or `MISC`.
        public var type: String
        /// How many mentions refer to it.
        public var mentions: Int
        /// The Unicode scalar offset of its first mention.
        public var first: Int
        /// The distinct canonical forms of its mentions.
        public var forms: [String]
        /// How central it is to the document, 0…1 (1 for the most salient).
        public var salience: Double
    }

    /// Abbreviations and the full names they stand for (``EntityModel/aliases``).
    public var aliases: [String: String] {
        didSet { aliasFilter = AliasKeyFilter(keys: aliases.keys) }
    }

    /// What quickly tells the names that are no abbreviation.
    private var aliasFilter: AliasKeyFilter

    /// Creates a resolver that also merges known abbreviations into their full names.
    public init(aliases: [String: String] = [:]) {
        self.init(aliases: aliases, aliasFilter: AliasKeyFilter(keys: aliases.keys))
    }

    /// The same with the filter of `aliases` made already (``EntityModel/aliasFilter``).
    init(aliases: [String: String], aliasFilter: AliasKeyFilter) {
        self.aliases = aliases
        self.aliasFilter = aliasFilter
    }

    private struct Group {
        var key: [String]
        var members: [Int]  // mention indices
        var type: String
        var mergedInto: Int?
    }

    /// Whether a gap between two names is an opening bracket and white space; read up to its
    /// first other character (the gaps between a document's names add up to the document).
    static func isOpeningBracketAlone(_ gap: ArraySlice<Unicode.Scalar>) -> Bool {
        var brackets = 0
        for scalar in gap where !Tokenizer.isSpace(scalar) {
            guard scalar == "(", brackets == 0 else { return false }
            brackets += 1
        }
        return brackets == 1
    }

    /// Resolves `mentions` (in text order) of a text; sets each mention's ``EntityMention/entity``.
    /// - Parameters:
    ///   - text: the document's text, as Unicode scalars.
    ///   - leadEnd: where the title and first paragraph end (mentions before weigh more).
    public func resolve(_ mentions: inout [EntityMention], text: [Unicode.Scalar], leadEnd: Int) -> [Entity] {
        var groups: [Group] = []
        var groupOfKey: [[String]: Int] = .init(minimumCapacity: mentions.count)
        var groupOfMention = [Int](repeating: 0, count: mentions.count)
        for (index, mention) in mentions.enumerated() {
            let key = Self.words(of: EntityCanonicalizer.key(mention.canonical))
            if let group = groupOfKey[key] {
                groups[group].members.append(index)
                groupOfMention[index] = group
            } else {
                groupOfKey[key] = groups.count
                groupOfMention[index] = groups.count
                groups.append(Group(key: key, members: [index], type: mention.type))
            }
        }
        // The type of a group: the majority of its mentions' types (the first mention's on a tie).
        for group in groups.indices {
            var votes: [String: Int] = [:]
            for member in groups[group].members { votes[mentions[member].type, default: 0] += 1 }
            let first = mentions[groups[group].members[0]].type
            groups[group].type = votes.max { $0.value != $1.value ? $0.value < $1.value : $0.key != first }!.key
        }
        func root(_ group: Int) -> Int {
            var current = group
            while let next = groups[current].mergedInto { current = next }
            return current
        }
        // An abbreviation in brackets right after a name: "حلف شمال الأطلسي (الناتو)".
        for index in mentions.indices.dropLast() {
            let name = mentions[index]
            let alias = mentions[index + 1]
            guard name.type == alias.type, name.span.end <= alias.span.start, alias.span.end < text.count else { continue }
            guard text[alias.span.end] == ")", Self.isOpeningBracketAlone(text[name.span.end..<alias.span.start]) else { continue }
            let (nameGroup, aliasGroup) = (root(groupOfMention[index]), root(groupOfMention[index + 1]))
            if nameGroup != aliasGroup, groups[aliasGroup].key.count < groups[nameGroup].key.count {
                groups[aliasGroup].mergedInto = nameGroup
            }
        }
        // A known abbreviation into its full name, wherever the two stand: "الناتو" (or "حلف
        // الناتو") and "حلف شمال الأطلسي". The full name's type wins.
        for group in groups.indices where !aliases.isEmpty && groups[group].mergedInto == nil {
            let key = groups[group].key
            let full: String
            // Most names are no abbreviation: the filter says so before a string is hashed.
            if aliasFilter.mayMatch(foldedWords: key), let named = aliases[key.joined(separator: " ")] {
                full = named
            } else if key.count > 1, aliasFilter.mayMatch(foldedWords: key.dropFirst()),
                let named = aliases[key.dropFirst().joined(separator: " ")], named.hasPrefix(key[0] + " ")
            {
                full = named
            } else {
                continue
            }
            guard let target = groupOfKey[Self.words(of: full)], root(target) != group else { continue }
            groups[group].mergedInto = root(target)
        }
        // The two passes below compare names pairwise: only the most mentioned names take part, so
        // that their cost stays bounded on documents with thousands of distinct names.
        let mergeable =
            groups.count <= Self.mergeableNames
            ? Array(groups.indices)
            : Array(groups.indices.sorted { groups[$0].members.count > groups[$1].members.count }.prefix(Self.mergeableNames)).sorted()
        // An organisation's head word with the article on its own ("الحلف", "الوزارة") into the one
        // organisation of the document named with that head word (حلف شمال الأطلسي).
        for group in mergeable where groups[group].mergedInto == nil && groups[group].key.count == 1 {
            let word = groups[group].key[0]
            let head = String(word.dropFirst(2))
            guard word.hasPrefix("ال"), EntityLexicon.headsOrganisation(head) else { continue }
            let named = mergeable.filter { other in
                other != group && groups[other].mergedInto == nil && groups[other].type == "ORG" && groups[other].key.count > 1
                    && groups[other].key[0] == head
            }
            if named.count == 1 { groups[group].mergedInto = named[0] }
        }
        // Short references into the one longer name of the same type that contains them.
        let byLength = mergeable.sorted { groups[$0].key.count < groups[$1].key.count }
        for short in byLength where groups[short].mergedInto == nil {
            let key = groups[short].key
            let candidates = mergeable.filter { long in
                long != short && groups[long].mergedInto == nil && groups[long].type == groups[short].type
                    && groups[long].key.count > key.count && Self.contains(groups[long].key, key, type: groups[short].type)
            }
            guard !candidates.isEmpty else { continue }
            // Several full names share the short one ("محمد"): only the most mentioned takes it, if clearly so.
            let ranked = candidates.sorted { groups[$0].members.count > groups[$1].members.count }
            if ranked.count == 1 || groups[ranked[0]].members.count > groups[ranked[1]].members.count {
                groups[short].mergedInto = ranked[0]
            }
        }

        var entityOfGroup: [Int: Int] = [:]
        var entities: [Entity] = []
        var memberLists: [[Int]] = []
        for group in groups.indices where groups[group].mergedInto == nil {
            entityOfGroup[group] = entities.count
            entities.append(Entity(canonical: "", type: groups[group].type, mentions: 0, first: .max, forms: [], salience: 0))
            memberLists.append([])
        }
        for group in groups.indices {
            let entity = entityOfGroup[root(group)]!
            memberLists[entity] += groups[group].members
        }
        for (entity, members) in memberLists.enumerated() {
            var formCounts: [String: Int] = [:]
            var order: [String] = []
            var score = 0.0
            for member in members.sorted() {
                let mention = mentions[member]
                if formCounts[mention.canonical] == nil { order.append(mention.canonical) }
                formCounts[mention.canonical, default: 0] += 1
                entities[entity].first = min(entities[entity].first, mention.span.start)
                // A mention in the title or the lead counts three times.
                score += mention.span.start < leadEnd ? 3 : 1
            }
            entities[entity].mentions = members.count
            entities[entity].forms = order
            // The fullest form, then the most frequent, then the first.
            var best = 0
            var bestWords = Self.words(of: order[0]).count
            for index in order.indices.dropFirst() {
                let words = Self.words(of: order[index]).count
                if words > bestWords || (words == bestWords && formCounts[order[index]]! > formCounts[order[best]]!) {
                    (best, bestWords) = (index, words)
                }
            }
            entities[entity].canonical = order[best]
            // Earlier first mentions weigh more: a quarter more at the very start, nothing at the end.
            let position = Double(entities[entity].first) / Double(max(text.count, 1))
            entities[entity].salience = score * (1 + 0.25 * (1 - position))
        }
        let top = entities.map(\.salience).max() ?? 1
        let ranking = entities.indices.sorted {
            entities[$0].salience != entities[$1].salience ? entities[$0].salience > entities[$1].salience : entities[$0].first < entities[$1].first
        }
        let rankOf = Dictionary(uniqueKeysWithValues: ranking.enumerated().map { ($1, $0) })
        for (entity, members) in memberLists.enumerated() {
            for member in members { mentions[member].entity = rankOf[entity] }
        }
        return ranking.map { index in
            var entity = entities[index]
            entity.salience = (entity.salience / top * 1000).rounded() / 1000
            return entity
        }
    }

    /// The words of a name: split at spaces scalar by scalar (not through grapheme clusters).
    static func words(of name: String) -> [String] {
        name.unicodeScalars.split(separator: " ").map { String(Substring($0)) }
    }

    /// How many distinct names (the most mentioned) the pairwise merging passes consider.
    static let mergeableNames = 1_000

    /// Whether the short name is part of the long one: for people a first or last name (or the
    /// words at either end), for others any run of words.
    static func contains(_ long: [String], _ short: [String], type: String) -> Bool {
        if type == "PERS" {
            return Array(long.suffix(short.count)) == short || Array(long.prefix(short.count)) == short
        }
        guard short.count <= long.count else { return false }
        for start in 0...(long.count - short.count) where Array(long[start..<(start + short.count)]) == short { return true }
        return false
    }
}
