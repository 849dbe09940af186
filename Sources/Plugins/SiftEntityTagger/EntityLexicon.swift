import Foundation
import SiftTextToolkit

/// What the tagger knows about words besides its weights: gazetteers of people, places and
/// organisations (single words and multi-word names), and trigger words that announce an
/// entity (titles before names, "company", "city", "agency" …). Entries are folded like the
/// text (``fold(_:)``) and stored in the model, so tagging needs no other file.
public struct EntityLexicon: Sendable, Equatable {
    /// Gazetteer entries per entity type: each entry is a sequence of folded words.
    public var gazetteers: [String: Set<[String]>] { entries.mapValues { Set($0.values) } }
    /// The entries per type, by ``sequenceHash(_:)``: a set of arrays of Arabic strings would
    /// hash every word with Unicode normalisation, a fifth of loading a model.
    private var entries: [String: [UInt64: [String]]] = [:]
    /// Type bits (``EntityTagSet/types`` order) of each entry, by the hash of its words
    /// (``sequenceHash(_:)``): Swift hashes Arabic strings slowly (Unicode normalisation), so
    /// look-ups go through 64-bit hashes of the folded words.
    private var entryTypes = HashKeyedMap<UInt8>()
    /// Type bits of the first words of multi-word entries.
    private var firstWordTypes = HashKeyedMap<UInt8>()
    /// Type bits of the last words of multi-word entries (surnames: السراج of فائز السراج).
    private var lastWordTypes = HashKeyedMap<UInt8>()
    /// Type bits of the beginnings of two words or more of longer entries, by
    /// ``sequenceHash(_:)`` (a first word's are ``firstWordTypes``): matching stops at a
    /// beginning that no entry of the type has.
    private var prefixTypes = HashKeyedMap<UInt8>()
    /// The longest entry, in words.
    public private(set) var longestEntry = 1

    private static let normalizer = ArabicNormalizer(options: ArabicNormalizer.Options.matching.union([.taaMarbutaToHa, .unifyHamza]))

    /// Folds a word for matching: diacritics and tatweel removed, alef forms, alef maqsura, taa
    /// marbuta and hamza seats unified (a lone hamza dropped), compatibility forms, lower case.
    public static func fold(_ word: some StringProtocol) -> String {
        normalizer.normalizedString(word)
    }

    /// FNV-1a over a folded word's UTF-8: the key of all look-ups.
    public static func wordHash(_ folded: some StringProtocol) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in folded.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// The key of a sequence of words, from their ``wordHash(_:)``es (a single word's key is its hash).
    static func sequenceHash(_ words: some Collection<UInt64>) -> UInt64 {
        guard let first = words.first else { return 0 }
        return sequenceHash(first: first, rest: words.dropFirst())
    }

    /// The same for a first word and the words after it (no array built).
    static func sequenceHash(first: UInt64, rest: some Sequence<UInt64>) -> UInt64 {
        var hash = first
        for next in rest { hash = EntityFeatures.mix(hash ^ 0x2545_F491_4F6C_DD1D) ^ next }
        return hash
    }

    public static func == (lhs: EntityLexicon, rhs: EntityLexicon) -> Bool { lhs.gazetteers == rhs.gazetteers }

    /// Creates an empty lexicon.
    public init() {}

    /// Adds gazetteer entries (names as written; each is split into words and folded).
    public mutating func add(type: String, names: some Sequence<String>) {
        guard let bit = EntityTagSet.types.firstIndex(of: type) else { return }
        for name in names {
            // A space or a tab, tested by its byte: comparing characters is slow.
            let words = name.split(whereSeparator: { $0.utf8.count == 1 && ($0.utf8.first == 0x20 || $0.utf8.first == 0x09) })
                .map { Self.fold($0) }.filter { !$0.isEmpty }
            guard !words.isEmpty else { continue }
            let hashes = words.map { Self.wordHash($0) }
            let key = Self.sequenceHash(hashes)
            entries[type, default: [:]][key] = words
            entryTypes[key] = (entryTypes[key] ?? 0) | 1 << bit
            if words.count > 1 {
                var prefix = hashes[0]
                for (length, next) in hashes.enumerated().dropFirst() {
                    if length > 1 { prefixTypes[prefix] = (prefixTypes[prefix] ?? 0) | 1 << bit }
                    prefix = Self.sequenceHash(first: prefix, rest: CollectionOfOne(next))
                }
                firstWordTypes[hashes[0]] = (firstWordTypes[hashes[0]] ?? 0) | 1 << bit
                lastWordTypes[hashes[hashes.count - 1]] = (lastWordTypes[hashes[hashes.count - 1]] ?? 0) | 1 << bit
            }
            longestEntry = max(longestEntry, words.count)
        }
    }

    /// Whether a single folded word is an entry of any type.
    public func knows(_ folded: String) -> Bool {
        entryTypes[Self.wordHash(folded)] != nil
    }

    /// The type bits of a single word, by its hash.
    func types(ofWord hash: UInt64) -> UInt8 { entryTypes[hash] ?? 0 }

    /// The type bits of entries of several words that a word begins, and that it ends.
    func partTypes(ofWord hash: UInt64) -> (first: UInt8, last: UInt8) { (firstWordTypes[hash] ?? 0, lastWordTypes[hash] ?? 0) }

    /// The type bits of an entry of several words (folded).
    public func types(of words: [String]) -> UInt8 { entryTypes[Self.sequenceHash(words.map { Self.wordHash($0) })] ?? 0 }

    /// The types of the names a word (folded, and its stem) could open: as the first word of a
    /// longer name, or as a name of one word.
    func opensTypes(word: UInt64, stem: UInt64) -> UInt8 {
        (firstWordTypes[word] ?? 0) | (firstWordTypes[stem] ?? 0) | types(ofWord: word) | types(ofWord: stem)
    }

    /// The gazetteer matches in a sentence, given each word's hash and its stem's (the first word
    /// of a name may carry clitics; the others are taken as written) and what it could open
    /// (``opensTypes(word:stem:)``): for each type, the longest entries found, as token ranges.
    func matches(words: [UInt64], stems: [UInt64], opens: [UInt8]) -> [(type: Int, range: Range<Int>)] {
        var found: [(type: Int, range: Range<Int>)] = []
        for type in EntityTagSet.types.indices {
            let bit: UInt8 = 1 << type
            var start = 0
            while start < words.count {
                guard opens[start] & bit != 0 else {
                    start += 1
                    continue
                }
                // The longest entry from here, read word by word as long as what was read (from
                // the word or from its stem) begins an entry of the type.
                var matched = 0
                var (fromWord, fromStem) = (words[start], stems[start])
                var (wordGoesOn, stemGoesOn) = (true, true)
                for length in 1...min(longestEntry, words.count - start) {
                    if length > 1 {
                        let next = CollectionOfOne(words[start + length - 1])
                        fromWord = Self.sequenceHash(first: fromWord, rest: next)
                        fromStem = Self.sequenceHash(first: fromStem, rest: next)
                    }
                    if (wordGoesOn && types(ofWord: fromWord) & bit != 0) || (stemGoesOn && types(ofWord: fromStem) & bit != 0) {
                        matched = length
                    }
                    wordGoesOn = wordGoesOn && beginsEntry(fromWord, length: length) & bit != 0
                    stemGoesOn = stemGoesOn && beginsEntry(fromStem, length: length) & bit != 0
                    if !wordGoesOn && !stemGoesOn { break }
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

    /// The types of the entries longer than `length` words that begin with the words of `hash`
    /// (``sequenceHash(_:)``).
    @inline(__always)
    private func beginsEntry(_ hash: UInt64, length: Int) -> UInt8 {
        (length == 1 ? firstWordTypes[hash] : prefixTypes[hash]) ?? 0
    }

    /// Words that announce an entity of a type when they come just before it (titles, "the
    /// city of", "the company"); hand-written, in Arabic, English and French.
    private static let triggersBefore: [String: [String]] = [
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
    ]

    /// The trigger bit of organisations' head words (حلف، وزارة، شركة …), before a name.
    static let organisationTrigger = UInt8(1) << EntityTagSet.types.firstIndex(of: "ORG")!

    /// Whether a folded word is an organisation's head word.
    static func headsOrganisation(_ folded: some StringProtocol) -> Bool {
        (triggerBits[wordHash(folded)] ?? 0) & organisationTrigger != 0
    }

    /// The trigger words as type bits per folded-word hash: before (low four bits) and after (high four).
    static let triggerBits: HashKeyedMap<UInt8> = {
        var bits = HashKeyedMap<UInt8>(capacity: 512)
        for (bit, type) in EntityTagSet.types.enumerated() {
            for word in (triggersBefore[type] ?? []).map({ wordHash(fold($0)) }) { bits[word] = (bits[word] ?? 0) | 1 << bit }
            for word in (triggersAfter[type] ?? []).map({ wordHash(fold($0)) }) { bits[word] = (bits[word] ?? 0) | 1 << (bit + 4) }
        }
        return bits
    }()

    /// Words after which a short quoted span is a name of a known type: titles of works
    /// (برنامج « … »، بعنوان " … ") are MISC, newspapers, magazines, companies, foundations,
    /// sites, agencies and channels ORG, cities LOC. In ANERcorp's training part nearly every
    /// such span (one to four words) is a name of that type (`scripts/ner-rule-evidence.py`).
    private static let quotedNameHeads: [String: [String]] = [
        "MISC": ["برنامج", "بعنوان", "فيلم", "رواية", "مسرحية", "أغنية"],
        "ORG": ["صحيفة", "جريدة", "مجلة", "شركة", "مؤسسة", "موقع", "وكالة", "قناة"],
        "LOC": ["مدينة"],
    ]

    /// The heads of ``quotedNameHeads`` by folded-word hash → type index.
    private static let quotedNameTypes: HashKeyedMap<Int> = {
        var types = HashKeyedMap<Int>(capacity: 64)
        for (type, words) in quotedNameHeads {
            for word in words { types[wordHash(fold(word))] = EntityTagSet.types.firstIndex(of: type)! }
        }
        return types
    }()

    /// The type (index in ``EntityTagSet/types``) of a quoted name after this word, if it is a
    /// head of ``quotedNameHeads``: as written, after proclitics (وبرنامج، لصحيفة), or before a
    /// possessive pronoun or the accusative ending (برنامجها، برنامجه، برنامجا). Not with the
    /// article: "قالت للصحيفة « … »" is speech to a newspaper named before.
    static func quotedNameType(after word: String) -> Int? {
        var candidates = [fold(word)]
        var stripped: Character?
        for _ in 0..<2 {
            // لل is the preposition and the article (للصحيفة), not two proclitics.
            guard let last = candidates.last, let first = last.first, "وفبلك".contains(first), !(stripped == "ل" && first == "ل") else { break }
            candidates.append(String(last.dropFirst()))
            stripped = first
        }
        candidates += candidates.flatMap { word in
            ["ها", "ه", "ا"].filter { word.hasSuffix($0) && word.count > $0.count + 2 }.map { String(word.dropLast($0.count)) }
        }
        return candidates.lazy.compactMap { quotedNameTypes[wordHash($0)] }.first
    }

    /// Words that, right after a name, tell its type ("… للأنباء" after a news agency, "… قال" after a person).
    private static let triggersAfter: [String: [String]] = [
        "PERS": ["قال", "قالت", "أكد", "أكدت", "أعلن", "أعلنت", "أضاف", "أضافت", "صرح", "صرحت", "said", "says", "told", "a", "déclaré"],
        "ORG": ["للأنباء", "الإخبارية", "inc", "ltd", "corp", "sa"],
        "LOC": ["الشمالية", "الجنوبية", "الشرقية", "الغربية"],
    ]
}
