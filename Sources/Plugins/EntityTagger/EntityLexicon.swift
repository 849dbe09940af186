import Foundation
import SiftTextToolkit

/// What the tagger knows about words besides its weights: gazetteers of people, places and
/// organisations (single words and multi-word names), and trigger words that announce an
/// entity (titles before names, "company", "city", "agency" …). Entries are folded like the
/// text (``fold(_:)``) and stored in the model, so tagging needs no other file.
public struct EntityLexicon: Sendable, Equatable {
    /// Gazetteer entries per entity type: each entry is a sequence of folded words.
    public private(set) var gazetteers: [String: Set<[String]>] = [:]
    /// Folded first words of multi-word entries, per type, for fast rejection.
    private var firstWords: [String: Set<String>] = [:]
    /// The longest entry, in words.
    public private(set) var longestEntry = 1

    private static let normalizer = ArabicNormalizer(options: ArabicNormalizer.Options.matching.union(.taaMarbutaToHa))

    /// Folds a word for matching: diacritics and tatweel removed, alef forms, alef maqsura and
    /// taa marbuta unified, compatibility forms, lower case.
    public static func fold(_ word: some StringProtocol) -> String {
        normalizer.normalizedString(word)
    }

    /// Creates an empty lexicon.
    public init() {}

    /// Adds gazetteer entries (names as written; each is split into words and folded).
    public mutating func add(type: String, names: some Sequence<String>) {
        for name in names {
            let words = name.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Self.fold($0) }.filter { !$0.isEmpty }
            guard !words.isEmpty else { continue }
            gazetteers[type, default: []].insert(words)
            firstWords[type, default: []].insert(words[0])
            longestEntry = max(longestEntry, words.count)
        }
    }

    /// Whether a single folded word is an entry of any type.
    public func knows(_ folded: String) -> Bool {
        gazetteers.values.contains { $0.contains([folded]) }
    }

    /// The types for which a single folded word is an entry.
    func types(of folded: String) -> [String] {
        EntityTagSet.types.filter { gazetteers[$0]?.contains([folded]) == true }
    }

    /// The gazetteer matches in a sentence of folded words (each word also tried as its stem):
    /// for each type, the longest entries found, as token ranges.
    func matches(words: [String], stems: [String]) -> [(type: String, range: Range<Int>)] {
        var found: [(type: String, range: Range<Int>)] = []
        for type in EntityTagSet.types {
            guard let entries = gazetteers[type], let first = firstWords[type] else { continue }
            var start = 0
            while start < words.count {
                guard first.contains(words[start]) || first.contains(stems[start]) else {
                    start += 1
                    continue
                }
                var matched = 0
                for length in stride(from: min(longestEntry, words.count - start), through: 1, by: -1) {
                    // The first word may carry clitics; the others are taken as written.
                    let tail = Array(words[(start + 1)..<(start + length)])
                    if entries.contains([words[start]] + tail) || entries.contains([stems[start]] + tail) {
                        matched = length
                        break
                    }
                }
                if matched > 0 {
                    found.append((type, start..<(start + matched)))
                    start += matched
                } else {
                    start += 1
                }
            }
        }
        return found
    }

    /// Words that announce an entity of a type when they come just before it (titles, "the
    /// city of", "the company"), folded; hand-written, in Arabic, English and French.
    static let triggersBefore: [String: Set<String>] = [
        "PERS": [
            "الرئيس", "رئيس", "رئيسة", "الرئيسة", "وزير", "الوزير", "وزيرة", "الوزيرة", "الأمين", "العام", "السيد", "السيدة",
            "الشيخ", "الملك", "الملكة", "الأمير", "الأميرة", "الدكتور", "د", "المستشار", "المستشارة", "النائب", "نائب", "السفير",
            "المتحدث", "الناطق", "الجنرال", "اللواء", "العقيد", "المشير", "الفريق", "العميد", "قائد", "زعيم", "مساعد", "مدير",
            "المدير", "الفنان", "الفنانة", "اللاعب", "المدرب", "الكاتب", "الكاتبة", "الشاعر", "المخرج", "الممثل", "الصحفي",
            "البابا", "الإمام", "القاضي", "المحامي", "البروفسور", "الأستاذ", "الحاج", "ابن", "بن", "أبو", "أم", "بنت", "نجل",
            "شقيق", "زوجة", "mr", "mrs", "ms", "dr", "president", "minister", "secretary", "general", "king", "queen", "prince",
            "sir", "m", "mme", "président", "ministre", "secrétaire",
        ],
        "LOC": [
            "مدينة", "المدينة", "عاصمة", "العاصمة", "دولة", "بلاد", "جمهورية", "مملكة", "ولاية", "محافظة", "منطقة", "إقليم",
            "جزيرة", "جزر", "بحر", "نهر", "جبل", "جبال", "شمال", "جنوب", "شرق", "غرب", "وسط", "شمالي", "جنوبي", "شرقي", "غربي",
            "قرية", "بلدة", "مخيم", "حي", "شارع", "ميناء", "مطار", "city", "province", "region", "republic", "kingdom",
            "ville", "région", "république",
        ],
        "ORG": [
            "شركة", "الشركة", "وكالة", "حزب", "حركة", "منظمة", "جمعية", "اتحاد", "مجلس", "جامعة", "بنك", "مصرف", "صحيفة",
            "جريدة", "مجلة", "قناة", "إذاعة", "وزارة", "هيئة", "مؤسسة", "لجنة", "حلف", "جبهة", "جيش", "قوات", "نادي", "فريق",
            "منتخب", "محكمة", "برلمان", "مكتب", "معهد", "مركز", "company", "agency", "party", "union", "council", "university",
            "bank", "ministry", "société", "agence", "parti", "conseil", "université", "banque", "ministère",
        ],
    ].mapValues { Set($0.map { fold($0) }) }

    /// Words that, right after a name, tell its type ("… للأنباء" after a news agency, "… قال" after a person).
    static let triggersAfter: [String: Set<String>] = [
        "PERS": ["قال", "قالت", "أكد", "أكدت", "أعلن", "أعلنت", "أضاف", "أضافت", "صرح", "صرحت", "said", "says", "told", "a", "déclaré"],
        "ORG": ["للأنباء", "الإخبارية", "inc", "ltd", "corp", "sa"],
        "LOC": ["الشمالية", "الجنوبية", "الشرقية", "الغربية"],
    ].mapValues { Set($0.map { fold($0) }) }
}
