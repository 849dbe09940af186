import Foundation
import SiftTextToolkit

/// Names in English and French text, by rules: runs of capitalised words (with `of`, `de`,
/// `van` … inside), typed by the gazetteer (places), by words inside the name (`Bank`,
/// `University`, `Ministère` → organisation), by the word before it (`Mr`, `President`,
/// `le président` → person; `in`, `à` → place), by all-capital acronyms (organisations);
/// otherwise a run of two or three words is taken for a person, one word for a miscellaneous
/// name. A capitalised word opening a sentence counts only with evidence (a gazetteer entry,
/// the same word capitalised elsewhere in the text, a capitalised word after it).
///
/// Limits: no statistics — lower-case names, names of one word without evidence, and
/// organisations without a telling word inside are missed or mistyped.
public struct CapitalizedNameTagger: Sendable {
    /// The gazetteers that tell places.
    public let lexicon: EntityLexicon

    static let connectors: Set<String> = ["of", "de", "du", "des", "la", "le", "van", "von", "der", "bin", "al", "el", "and", "&", "d'"]
    static let articles: Set<String> = ["the", "le", "la", "les", "l'", "a", "an", "un", "une"]
    static let organisationWords: Set<String> = [
        "inc", "corp", "corporation", "ltd", "llc", "company", "bank", "university", "ministry", "party", "council", "union",
        "organization", "organisation", "agency", "association", "committee", "court", "army", "forces", "group", "news",
        "times", "post", "institute", "foundation", "federation", "commission", "parliament", "assembly", "alliance", "club",
        "banque", "université", "ministère", "parti", "conseil", "agence", "comité", "cour", "armée", "groupe", "institut",
        "fondation", "fédération", "parlement", "assemblée", "alliance", "société", "nations",
    ]
    static let personTitles: Set<String> = [
        "mr", "mrs", "ms", "dr", "president", "minister", "secretary", "king", "queen", "prince", "princess", "pope", "general",
        "sir", "lady", "senator", "governor", "chancellor", "premier", "m", "mme", "mlle", "président", "présidente", "ministre",
        "secrétaire", "roi", "reine", "général", "pape", "chancelière", "sénateur",
    ]
    static let placePrepositions: Set<String> = ["in", "at", "from", "to", "near", "à", "au", "aux", "en", "dans", "vers"]
    static let speechVerbs: Set<String> = ["said", "says", "told", "added", "a", "déclaré", "dit", "affirmé", "estime"]
    static let calendarWords: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
        "may", "june", "july", "august", "september", "october", "november", "december", "lundi", "mardi", "mercredi", "jeudi",
        "vendredi", "samedi", "dimanche", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ]

    /// Creates a tagger that types names with `lexicon`'s gazetteers (usually the entity model's,
    /// ``EntityFeatures/lexicon``).
    public init(lexicon: EntityLexicon) {
        self.lexicon = lexicon
    }

    /// The names in `regions` of `text` (the whole text when empty), in text order.
    public func mentions(in text: ScalarText, regions: [TextSpan]) -> [EntityMention] {
        let sentences = TokenizedDocument(text, regions: regions).sentences
        // Words seen capitalised inside a sentence somewhere in the text.
        var capitalisedInside: Set<String> = []
        for sentence in sentences {
            for token in sentence.dropFirst() where Self.isCapitalised(token) { capitalisedInside.insert(token.text) }
        }
        var mentions: [EntityMention] = []
        for sentence in sentences {
            var index = 0
            while index < sentence.count {
                guard Self.isCapitalised(sentence[index]) else {
                    index += 1
                    continue
                }
                var end = index + 1
                while end < sentence.count {
                    if Self.isCapitalised(sentence[end]) {
                        end += 1
                    } else if end + 1 < sentence.count, Self.connectors.contains(sentence[end].text.lowercased()),
                        Self.isCapitalised(sentence[end + 1])
                    {
                        end += 2
                    } else {
                        break
                    }
                }
                // Titles split a run and announce a person: "NATO Secretary General Jens Stoltenberg".
                var segmentStart = index
                var afterTitle = index > 0 && Self.personTitles.contains(Self.bare(sentence[index - 1].text))
                for position in index...end {
                    let isTitle = position < end && Self.personTitles.contains(Self.bare(sentence[position].text))
                    guard position == end || isTitle else { continue }
                    if position > segmentStart,
                        let mention = mention(
                            sentence, segmentStart..<position, afterTitle: afterTitle, text: text, capitalisedInside: capitalisedInside)
                    {
                        mentions.append(mention)
                    }
                    if isTitle { afterTitle = true }
                    segmentStart = position + 1
                }
                index = end
            }
        }
        // A lone word that ends or starts a longer name of the text takes that name's type.
        for (index, mention) in mentions.enumerated() where !mention.canonical.contains(" ") {
            if let longer = mentions.first(where: {
                let words = $0.canonical.split(separator: " ")
                return words.count > 1 && (words.last == Substring(mention.canonical) || words.first == Substring(mention.canonical))
            }) {
                mentions[index].type = longer.type
                mentions[index].confidence = max(mention.confidence, 0.7)
            }
        }
        return mentions
    }

    /// One name from a run of capitalised words, typed; nil when it should not count.
    private func mention(
        _ sentence: [Token], _ range: Range<Int>, afterTitle: Bool, text: ScalarText, capitalisedInside: Set<String>
    ) -> EntityMention? {
        var start = range.lowerBound
        // "The United Nations": the article is not part of the name.
        while start < range.upperBound - 1, Self.articles.contains(sentence[start].text.lowercased()) { start += 1 }
        let words = sentence[start..<range.upperBound].map(\.text)
        let folded = words.map { EntityLexicon.fold($0) }
        if words.count == 1, Self.articles.contains(folded[0]) || Self.calendarWords.contains(folded[0]) { return nil }
        let previous = start > 0 ? Self.bare(sentence[start - 1].text) : nil
        let next = range.upperBound < sentence.count ? sentence[range.upperBound].text.lowercased() : nil
        let isPlace = lexicon.types(of: folded) & 0b10 != 0  // LOC
        let opensSentence = start == 0
        guard !opensSentence || words.count > 1 || isPlace || afterTitle || capitalisedInside.contains(words[0]) else { return nil }
        let type: String
        var confidence = 0.9
        if folded.contains(where: Self.organisationWords.contains) || (words.count == 1 && Self.isAcronym(words[0])) {
            type = "ORG"
        } else if isPlace {
            type = "LOC"
        } else if afterTitle {
            type = "PERS"
        } else if let previous, Self.placePrepositions.contains(previous), words.count <= 2 {
            type = "LOC"
            confidence = 0.6
        } else if words.count >= 2, words.count <= 3 {
            type = "PERS"
            confidence = next.map(Self.speechVerbs.contains) == true ? 0.8 : 0.6
        } else {
            type = "MISC"
            confidence = 0.5
        }
        let span = TextSpan(sentence[start].span.start, sentence[range.upperBound - 1].span.end)
        return EntityMention(text: text[span], type: type, span: span, canonical: words.joined(separator: " "), confidence: confidence)
    }

    /// A word lower-cased without surrounding punctuation ("Mr." → "mr").
    static func bare(_ word: String) -> String {
        word.lowercased().trimmingCharacters(in: .punctuationCharacters)
    }

    static func isCapitalised(_ token: Token) -> Bool {
        guard token.kind == .word, let first = token.text.unicodeScalars.first else { return false }
        return first.properties.isUppercase
    }

    static func isAcronym(_ word: String) -> Bool {
        word.unicodeScalars.count >= 2 && word.unicodeScalars.allSatisfy { $0.properties.isUppercase }
    }
}
