/// Rules applied to the tagger's output, for what the training data is too thin to teach it:
/// each was checked on ANERcorp's training part, where it holds far more often than not
/// (docs/named-entities.md gives the counts).
extension EntityModel {
    /// A sentence's tags with what the tagger does not learn from the training data put right:
    /// people's names that ran on into a head word (``personsEndingBeforeHeadWords(in:tags:)``),
    /// quoted titles and names after their head word (``quotedNames(in:tags:)``), abbreviations
    /// of the type of their full names (``abbreviationTypes(in:tags:)``), people's first names
    /// (``firstNames(in:tags:)``).
    func corrected(_ tags: [Int], sentence: [String]) -> [Int] {
        let quoted = Self.quotedNames(in: sentence, tags: Self.personsEndingBeforeHeadWords(in: sentence, tags: tags))
        return firstNames(in: sentence, tags: abbreviationTypes(in: sentence, tags: quoted))
    }

    /// A person's name ends before a word that introduces a title or a name
    /// (``EntityLexicon/quotedNameType(after:)``): "طلعت زكريا برنامجا" is a man, then "a
    /// programme". No such word in ANERcorp's training part is inside a person's name
    /// (`scripts/ner-rule-evidence.py`).
    static func personsEndingBeforeHeadWords(in sentence: [String], tags: [Int]) -> [Int] {
        var tags = tags
        for entity in EntityEvaluation.entities(tags) where entity.type == "PERS" && entity.range.count > 1 {
            guard let head = entity.range.dropFirst().first(where: { EntityLexicon.quotedNameType(after: sentence[$0]) != nil }) else { continue }
            for position in head..<entity.range.upperBound { tags[position] = EntityTagSet.outside }
        }
        return tags
    }

    /// A person's name the tagger began one word late, after a first name it left untagged
    /// (فايزة [أبوالنجا]، طلعت [زكريا]), begins at the first name: a one-word person's name
    /// of the gazetteers, without the article and less common than Zipf 5 in running text
    /// (titles such as الشيخ، الملك and words such as من، كان are left out so). In ANERcorp's
    /// training part such a word before a person's name is nearly always its first word
    /// (`scripts/ner-rule-evidence.py`, with the harvested names).
    func firstNames(in sentence: [String], tags: [Int]) -> [Int] {
        var tags = tags
        let beginPerson = Self.beginPerson
        let person = UInt8(1) << EntityTagSet.types.firstIndex(of: "PERS")!
        for index in sentence.indices.dropFirst() where tags[index] == beginPerson && tags[index - 1] == EntityTagSet.outside {
            let folded = EntityLexicon.fold(sentence[index - 1])
            let hash = EntityLexicon.wordHash(folded)
            guard !folded.hasPrefix("ال"), features.lexicon.types(ofWord: hash) & person != 0, features.frequencyBand(ofWord: hash) <= 3 else {
                continue
            }
            tags[index - 1] = beginPerson
            tags[index] = beginPerson + 1
        }
        return tags
    }

    /// A name the model knows as an abbreviation (``aliases``) has the type of the name it
    /// stands for, when the gazetteers give that one type: "بقيادة الناتو" is the alliance, not
    /// a place. The aliases were gathered from unlabelled text, each after names of one type.
    func abbreviationTypes(in sentence: [String], tags: [Int]) -> [Int] {
        guard !aliases.isEmpty else { return tags }
        var tags = tags
        let canonicalizer = EntityCanonicalizer { [features] in features.knows($0) }
        for entity in EntityEvaluation.entities(tags) where entity.range.count <= 3 && aliasFilter.mayMatch(sentence[entity.range]) {
            let key = EntityCanonicalizer.key(canonicalizer.canonical(Array(sentence[entity.range])))
            guard let full = aliases[key] else { continue }
            let bits = features.lexicon.types(of: full.split(separator: " ").map(String.init))
            guard bits.nonzeroBitCount == 1 else { continue }
            let type = EntityTagSet.types[bits.trailingZeroBitCount]
            guard type != entity.type else { continue }
            let begin = EntityTagSet.index(of: "B-" + type)!
            for position in entity.range { tags[position] = position == entity.range.lowerBound ? begin : begin + 1 }
        }
        return tags
    }

    /// The mark that closes a token that opens a quotation, if it is one (« " “ ' or '').
    /// Compared by scalars: Swift hashes and compares Arabic strings slowly.
    @inline(__always)
    static func closingQuote(of token: String) -> String? {
        // At most the first three scalars are read: counting a long word's would read it all.
        var scalars = token.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return nil }
        let second = scalars.next()
        guard scalars.next() == nil else { return nil }
        switch (first, second) {
        case ("«", nil): return "»"
        case ("\"", nil): return "\""
        case ("“", nil): return "”"
        case ("'", nil): return "'"
        case ("'", "'"): return "''"
        default: return nil
        }
    }

    /// A short quoted span (one to four words) right after a word that introduces a title or a
    /// name (``EntityLexicon/quotedNameType(after:)``: برنامج « … »، صحيفة ' ' … ' ') is a name
    /// of that word's kind, where the tagger left it untagged or read it as one name of another
    /// type. Such titles are too rare in the training data for the tagger to learn them, and
    /// their words are any words at all.
    static func quotedNames(in sentence: [String], tags: [Int]) -> [Int] {
        var tags = tags
        var index = 1
        while index < sentence.count {
            defer { index += 1 }
            guard let close = Self.closingQuote(of: sentence[index]) else { continue }
            // ANERcorp writes a double quotation mark as two single ones: ' ' … ' '.
            let doubled = sentence[index] == "'" && index + 1 < sentence.count && sentence[index + 1] == "'"
            let head = sentence[index - 1] == "'" && index >= 2 ? index - 2 : index - 1
            guard let type = EntityLexicon.quotedNameType(after: sentence[head]) else { continue }
            let start = index + (doubled ? 2 : 1)
            guard let end = sentence[start...].prefix(5).firstIndex(of: close), end > start else { continue }
            let span = start..<end
            guard span.allSatisfy({ sentence[$0].unicodeScalars.contains(where: \.properties.isAlphabetic) }) else { continue }
            // Untagged, or tagged as one name of another type (مدينة " … " read as an organisation).
            let untagged = span.allSatisfy { tags[$0] == EntityTagSet.outside }
            let oneName = EntityTagSet.isBegin(tags[start]) && span.dropFirst().allSatisfy { tags[$0] == tags[start] + 1 }
            guard untagged || oneName else { continue }
            let begin = EntityTagSet.index(of: "B-" + EntityTagSet.types[type])!
            for position in span { tags[position] = position == start ? begin : begin + 1 }
            index = end
        }
        return tags
    }
}
