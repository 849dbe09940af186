import SiftTextToolkit

/// The features of the tagger, shared by training and tagging: for each token, hashed
/// indicator features of the token itself (folded word, proclitic-stripped stem, its
/// proclitics, prefixes, suffixes and letter triples, shape), of its neighbours (words, stems,
/// shapes and word classes two either side), of the gazetteers (single words, multi-word
/// names, and their neighbours), of trigger words (titles before names …), and of word
/// classes learned from running text. The second pass adds what the first found each word to
/// be elsewhere in the document.
///
/// Everything about a distinct token is worked out once per document (``TokenView``); the
/// features are 64-bit hashes mixed from precomputed parts, with no strings built per feature.
public struct EntityFeatures: Sendable {
    /// Gazetteers and triggers.
    public let lexicon: EntityLexicon
    /// Word classes (`fine | coarse << 10` per folded word), learned without labels.
    public let wordClasses: [String: UInt16]
    /// The same, by ``EntityLexicon/wordHash(_:)``.
    private let classesByHash: HashKeyedMap<UInt16>

    /// How common each word is in running text: a band (1 rare … 5 very common) per
    /// ``EntityLexicon/wordHash(_:)`` of the folded word, sorted by hash. Names are rare words
    /// or no words of the language at all (band 0: not listed).
    public let frequencyBands: [(hash: UInt64, band: UInt8)]
    private let bandsByHash: HashKeyedMap<UInt8>

    private static let clitics = ArabicClitics()

    /// Creates the feature extractor.
    public init(lexicon: EntityLexicon, wordClasses: [String: UInt16] = [:], frequencyBands: [(hash: UInt64, band: UInt8)] = []) {
        self.lexicon = lexicon
        self.wordClasses = wordClasses
        var classesByHash = HashKeyedMap<UInt16>(capacity: wordClasses.count)
        for (word, value) in wordClasses { classesByHash[EntityLexicon.wordHash(word)] = value }
        self.classesByHash = classesByHash
        self.frequencyBands = frequencyBands.sorted { $0.hash < $1.hash }
        var bandsByHash = HashKeyedMap<UInt8>(capacity: frequencyBands.count)
        for (hash, band) in frequencyBands { bandsByHash[hash] = band }
        self.bandsByHash = bandsByHash
    }

    /// Frequency bands from a word list with Zipf frequencies (`word<TAB>frequency<TAB>zipf`, as
    /// wordfreq exports them): zipf ≥ 6 → 5, ≥ 5 → 4, ≥ 4 → 3, ≥ 3 → 2, below → 1; words folded,
    /// the commonest spelling winning.
    public static func frequencyBands(wordList: String) -> [(hash: UInt64, band: UInt8)] {
        var bands = HashKeyedMap<UInt8>(capacity: 65_536)
        var hashes: [UInt64] = []
        for line in wordList.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 3, let zipf = Double(fields[2]) else { continue }
            let band: UInt8 = zipf >= 6 ? 5 : zipf >= 5 ? 4 : zipf >= 4 ? 3 : zipf >= 3 ? 2 : 1
            let hash = EntityLexicon.wordHash(EntityLexicon.fold(fields[0]))
            if let known = bands[hash] {
                if band > known { bands[hash] = band }
            } else {
                bands[hash] = band
                hashes.append(hash)
            }
        }
        return hashes.map { ($0, bands[$0] ?? 0) }
    }

    /// The frequency band of a folded word's ``EntityLexicon/wordHash(_:)`` (0 when not listed, see ``frequencyBands``).
    func frequencyBand(ofWord hash: UInt64) -> UInt8 { bandsByHash[hash] ?? 0 }

    /// Whether a folded word is known to stand on its own: a gazetteer entry or a word with a class.
    public func knows(_ folded: String) -> Bool {
        lexicon.knows(folded) || classesByHash[EntityLexicon.wordHash(folded)] != nil
    }

    /// What the features need to know about one distinct token: hashes and bits only, so that
    /// views copy freely.
    struct TokenView {
        var foldedHash: UInt64
        var stemHash: UInt64
        var shapeHash: UInt64
        var fineClass: UInt64
        var coarseClass: UInt64
        /// The stem's length in Unicode scalars.
        var stemLength: Int
        /// Gazetteer types of the stem (low four bits, in ``EntityTagSet/types`` order) and of the folded word (high four).
        var gazetteerTypes: UInt8
        /// Types this word announces when it comes before a name (titles, "city", "company").
        var triggersBefore: UInt8
        /// Types this word announces when it comes after a name.
        var triggersAfter: UInt8
        /// Whether the token carries a preposition and the article (للسراج، بالحكومة): such a
        /// word begins a phrase, not the middle of a name.
        var opensPhrase: Bool
        /// Whether the word, in any reading of its proclitics, is an organisation's head word
        /// (حلف، لحلف، وزارة …), which is never part of a person's name.
        var headsOrganisation: Bool
        /// The types of the gazetteers' names the word could open (``EntityLexicon/opensTypes(word:stem:)``).
        var opensNames: UInt8
    }

    /// Analyses a token; `own` hears each feature of the token on its own (the first is always
    /// the bias feature, so every token has at least one).
    func view(of token: String, own: (UInt64) -> Void) -> TokenView {
        let folded = EntityLexicon.fold(token)
        let segmentation = Self.clitics.segment(token) { lexicon.knows(EntityLexicon.fold($0)) }
        let stem = segmentation.stemOffset == 0 ? folded : EntityLexicon.fold(segmentation.stem)
        let shape = Self.shape(token)
        let stemHash = EntityLexicon.wordHash(stem)
        let foldedHash = EntityLexicon.wordHash(folded)
        let shapeHash = EntityLexicon.wordHash(shape)
        let classValue = classesByHash[stemHash] ?? classesByHash[foldedHash]
        let fineClass = classValue.map { UInt64($0 & 0x3FF) } ?? 0xFFFF
        let coarseClass = classValue.map { UInt64($0 >> 10) } ?? 0xFFFF
        let gazetteerTypes = lexicon.types(ofWord: stemHash) | lexicon.types(ofWord: foldedHash) << 4
        let foldedTriggers = EntityLexicon.triggerBits[foldedHash] ?? 0
        let stemTriggers = EntityLexicon.triggerBits[stemHash] ?? 0
        // A trigger under proclitics the segmenter leaves on (لحلف، ووزير، بشركة).
        let cliticTriggers = foldedTriggers | stemTriggers == 0 ? Self.triggerBits(afterProclitics: folded) : 0
        let triggersBefore = (foldedTriggers | stemTriggers | cliticTriggers) & 0x0F
        let triggersAfter = (foldedTriggers | cliticTriggers) >> 4

        own(Self.feature(0, 0))
        own(Self.feature(1, foldedHash))
        own(Self.feature(2, stemHash))
        own(Self.feature(3, EntityLexicon.wordHash(segmentation.prefixes.joined(separator: "+"))))
        own(Self.feature(4, shapeHash))
        own(Self.feature(30, fineClass))
        own(Self.feature(48, coarseClass))
        if !frequencyBands.isEmpty {
            own(Self.feature(59, UInt64(bandsByHash[stemHash] ?? 0)))
            own(Self.feature(61, UInt64(bandsByHash[foldedHash] ?? 0) << 8 | UInt64(bandsByHash[stemHash] ?? 0)))
        }
        var stemLength = 0
        Self.withScalars(of: stem) { stemScalars in
            stemLength = stemScalars.count
            for length in 1...3 where stemScalars.count > length {
                own(Self.feature(5 + UInt64(length), Self.hash(stemScalars.prefix(length))))
                own(Self.feature(8 + UInt64(length), Self.hash(stemScalars.suffix(length))))
            }
            own(Self.feature(12, UInt64(min(stemScalars.count, 9))))
            // Letter triples inside the stem: transliterated foreign names have telling ones (سكي، وف، يه).
            if stemScalars.count >= 4, shape == "a" {
                for start in 0...(stemScalars.count - 3) { own(Self.feature(39, Self.hash(stemScalars[start..<(start + 3)]))) }
            }
        }
        if !segmentation.prefixes.isEmpty {
            Self.withScalars(of: folded) { foldedScalars in
                for length in 1...2 where foldedScalars.count > length {
                    own(Self.feature(40 + UInt64(length), Self.hash(foldedScalars.prefix(length))))
                }
            }
        }
        let parts = lexicon.partTypes(ofWord: stemHash)
        for bit in 0..<EntityTagSet.types.count {
            if parts.first & (1 << bit) != 0 { own(Self.feature(51, UInt64(bit))) }
            if parts.last & (1 << bit) != 0 { own(Self.feature(52, UInt64(bit))) }
            if gazetteerTypes & (1 << bit) != 0 { own(Self.feature(22, UInt64(bit))) }
            if gazetteerTypes & (1 << (bit + 4)) != 0 { own(Self.feature(50, UInt64(bit))) }
            if triggersBefore & (1 << bit) != 0 { own(Self.feature(28, UInt64(bit))) }
        }
        return TokenView(
            foldedHash: foldedHash, stemHash: stemHash, shapeHash: shapeHash, fineClass: fineClass, coarseClass: coarseClass,
            stemLength: stemLength, gazetteerTypes: gazetteerTypes, triggersBefore: triggersBefore, triggersAfter: triggersAfter,
            opensPhrase: segmentation.isDefinite && segmentation.prefixes.contains { $0 == "ب" || $0 == "ل" || $0 == "ك" },
            headsOrganisation: triggersBefore & EntityLexicon.organisationTrigger != 0,
            opensNames: lexicon.opensTypes(word: foldedHash, stem: stemHash))
    }

    /// The trigger bits (``EntityLexicon/triggerBits``) of a folded word without one to three
    /// leading proclitic letters (و ف ب ك ل) and the article after them (لحلف، وللحلف،
    /// بالوزارة): the first reading that is a trigger word, or 0.
    static func triggerBits(afterProclitics folded: String) -> UInt8 {
        var rest = Substring(folded).unicodeScalars[...]
        for _ in 0..<3 {
            guard let first = rest.first, Self.procliticLetters.contains(first) else { return 0 }
            rest = rest.dropFirst()
            var candidate = rest
            for round in 0..<2 {
                guard candidate.count >= 2 else { break }
                if let bits = EntityLexicon.triggerBits[EntityLexicon.wordHash(Substring(candidate))], bits != 0 { return bits }
                guard round == 0, candidate.starts(with: "ال".unicodeScalars) else { break }
                candidate = candidate.dropFirst(2)
            }
        }
        return 0
    }

    /// Whether a folded word, under its proclitics, is an organisation's head word.
    static func headsOrganisation(afterProclitics folded: String) -> Bool {
        triggerBits(afterProclitics: folded) & EntityLexicon.organisationTrigger != 0
    }

    private static let procliticLetters: Set<Unicode.Scalar> = ["و", "ف", "ب", "ك", "ل"]

    /// A document as the features see it: each distinct token analysed once (`distinct`), and
    /// each sentence as indices into it.
    struct DocumentViews {
        var distinct: [TokenView] = []
        var sentences: [[Int32]] = []

        /// The views of a sentence's tokens.
        func views(ofSentence index: Int) -> [TokenView] { sentences[index].map { distinct[Int($0)] } }
    }

    /// A document's distinct tokens, their keys (``EntityLexicon/wordHash(_:)`` of the token as
    /// written), and each sentence as indices into them.
    ///
    /// A token's key is the hash of its bytes; two tokens whose hashes collide (a document can
    /// be made so) are told apart by their bytes, the second taking the next key of a chain.
    static func distinctTokens(
        of document: [[String]], hash: (String) -> UInt64 = { EntityLexicon.wordHash($0) }
    ) -> (tokens: [String], keys: [UInt64], sentences: [[Int32]]) {
        var tokens: [String] = []
        var keys: [UInt64] = []
        // Room for every token up to a bound (news repeats about half its tokens): growing the
        // map rehashes it, once per doubling.
        var indices = HashKeyedMap<Int32>(capacity: min(document.reduce(0) { $0 + $1.count }, 1 << 14))
        let sentences = document.map { sentence in
            sentence.map { token in
                var key = hash(token)
                while let index = indices[key] {
                    if sameBytes(tokens[Int(index)], token) { return index }
                    key = nextKey(after: key)
                }
                let index = Int32(tokens.count)
                tokens.append(token)
                keys.append(key)
                indices[key] = index
                return index
            }
        }
        return (tokens, keys, sentences)
    }

    /// The key a token takes when another token holds its own (``distinctTokens(of:hash:)``).
    static func nextKey(after key: UInt64) -> UInt64 { mix(key ^ 0x6A09_E667_F3BC_C909) }

    /// Whether two strings have the same UTF-8 bytes (what their hashes are of).
    static func sameBytes(_ first: String, _ second: String) -> Bool {
        var first = first
        var second = second
        return first.withUTF8 { left in second.withUTF8 { right in left.elementsEqual(right) } }
    }

    /// Analyses a document's sentences; `own` hears the own features of each distinct token
    /// (by its index in ``DocumentViews/distinct``, in increasing order).
    func views(ofDocument document: [[String]], own: (Int, UInt64) -> Void) -> DocumentViews {
        let (tokens, _, sentences) = Self.distinctTokens(of: document)
        let distinct = tokens.enumerated().map { index, token in view(of: token) { own(index, $0) } }
        return DocumentViews(distinct: distinct, sentences: sentences)
    }

    /// A coarse shape: the kinds of characters, with runs collapsed (`Xx`, `d`, `a` for Arabic letters, `p` …).
    static func shape(_ token: String) -> String {
        var shape = ""
        var last: Character?
        for scalar in token.unicodeScalars {
            let kind: Character
            let value = scalar.value
            if (0x0600...0x06FF).contains(value) {
                kind = (0x0621...0x064A).contains(value) || (0x066E...0x06D3).contains(value) ? "a" : "p"
            } else if value < 0x80 {
                kind = value >= 0x41 && value <= 0x5A ? "X" : value >= 0x61 && value <= 0x7A ? "x" : value >= 0x30 && value <= 0x39 ? "d" : "p"
            } else if scalar.properties.isUppercase {
                kind = "X"
            } else if scalar.properties.isLowercase {
                kind = "x"
            } else if scalar.properties.numericType != nil {
                kind = "d"
            } else {
                kind = "p"
            }
            if kind != last { shape.append(kind) }
            last = kind
            if shape.count >= 4 { break }
        }
        return shape
    }

    /// The offsets of the neighbours a token's features look at: two either side.
    static let neighbourOffsets = [-2, -1, 1, 2]

    /// Calls `body` with each feature that the neighbour at `offset` gives a token (`nil`: the
    /// sentence ends there). These depend on the neighbour alone, so tagging works them out
    /// once per distinct token.
    @inline(__always)
    func forEachNeighbourFeature(of neighbour: TokenView?, offset: Int, _ body: (UInt64) -> Void) {
        let edge: UInt64 = offset < 0 ? 1 : 2
        let word = neighbour?.foldedHash ?? edge
        let fine = neighbour?.fineClass ?? (offset < 0 ? 0x10000 : 0x10001)
        let triggers = offset < 0 ? neighbour?.triggersBefore ?? 0 : neighbour?.triggersAfter ?? 0
        func triggerFeatures(_ template: UInt64) {
            for bit in 0..<EntityTagSet.types.count where triggers & (1 << bit) != 0 { body(Self.feature(template, UInt64(bit))) }
        }
        switch offset {
        case -1:
            body(Self.feature(13, word))
            body(Self.feature(17, neighbour?.stemHash ?? edge))
            body(Self.feature(31, fine))
            triggerFeatures(26)
        case 1:
            body(Self.feature(14, word))
            body(Self.feature(18, neighbour?.stemHash ?? edge))
            body(Self.feature(32, fine))
            triggerFeatures(29)
        case -2:
            body(Self.feature(15, word))
            body(Self.feature(43, fine))
            triggerFeatures(27)
        default:
            body(Self.feature(16, word))
            body(Self.feature(44, fine))
        }
    }

    /// Calls `body` with the position and hash of each feature that depends on more than one
    /// token of a sentence: pairs of neighbours, gazetteer matches, a title a few words back,
    /// the sentence start.
    @inline(__always)
    func forEachPositionFeature(of views: [TokenView], _ body: (Int, UInt64) -> Void) {
        let count = views.count
        var gazetteerTags = [UInt64?](repeating: nil, count: count)
        for match in lexicon.matches(words: views.map(\.foldedHash), stems: views.map(\.stemHash), opens: views.map(\.opensNames)) {
            let type = UInt64(match.type)
            for index in match.range where gazetteerTags[index] == nil {
                gazetteerTags[index] = type << 1 | (index == match.range.lowerBound ? 0 : 1)
            }
        }
        let edgeBefore: UInt64 = 1
        let edgeAfter: UInt64 = 2
        func word(_ index: Int) -> UInt64 { index < 0 ? edgeBefore : index >= count ? edgeAfter : views[index].foldedHash }
        func stem(_ index: Int) -> UInt64 { index < 0 ? edgeBefore : index >= count ? edgeAfter : views[index].stemHash }
        func shape(_ index: Int) -> UInt64 { index < 0 ? edgeBefore : index >= count ? edgeAfter : views[index].shapeHash }
        func fine(_ index: Int) -> UInt64 { index < 0 ? 0x10000 : index >= count ? 0x10001 : views[index].fineClass }
        func coarse(_ index: Int) -> UInt64 { index < 0 ? 0x10000 : index >= count ? 0x10001 : views[index].coarseClass }

        for index in 0..<count {
            let view = views[index]
            func add(_ feature: UInt64) { body(index, feature) }
            add(Self.feature(19, word(index - 1), view.stemHash))
            add(Self.feature(20, view.stemHash, word(index + 1)))
            add(Self.feature(21, shape(index - 1), view.shapeHash))
            if let tag = gazetteerTags[index] { add(Self.feature(23, tag)) }
            if index > 0, let tag = gazetteerTags[index - 1] { add(Self.feature(24, tag)) }
            if index + 1 < count, let tag = gazetteerTags[index + 1] { add(Self.feature(25, tag)) }
            add(Self.feature(33, fine(index - 1), fine(index)))
            add(Self.feature(45, fine(index), fine(index + 1)))
            add(Self.feature(46, stem(index - 1), fine(index)))
            add(Self.feature(47, fine(index), stem(index + 1)))
            add(Self.feature(49, coarse(index - 1) << 32 | coarse(index) << 16 | coarse(index + 1)))
            if index == 0 { add(Self.feature(35, 0)) }
            // A title a few words back: "رئيس المجلس الرئاسي ... فائز السراج", "الأمين العام لحلف الناتو ينس ستولتنبرغ".
            for distance in 3...6 where index - distance >= 0 {
                let triggers = views[index - distance].triggersBefore
                if triggers != 0 {
                    add(Self.feature(57, UInt64(triggers), UInt64(distance)))
                    break
                }
            }
        }
    }

    /// The first-pass features of every token of a document's sentences, as lists (for training).
    func features(ofDocument document: [[String]]) -> (views: [[TokenView]], features: [[[UInt64]]]) {
        var own: [[UInt64]] = []
        let document = views(ofDocument: document) { index, feature in
            if index == own.count { own.append([]) }
            own[index].append(feature)
        }
        var views: [[TokenView]] = []
        var lists: [[[UInt64]]] = []
        for (number, sentence) in document.sentences.enumerated() {
            let sentenceViews = document.views(ofSentence: number)
            var features = sentence.map { own[Int($0)] }
            for position in sentence.indices {
                for offset in Self.neighbourOffsets {
                    let neighbour = sentence.indices.contains(position + offset) ? sentenceViews[position + offset] : nil
                    forEachNeighbourFeature(of: neighbour, offset: offset) { features[position].append($0) }
                }
            }
            forEachPositionFeature(of: sentenceViews) { features[$0].append($1) }
            views.append(sentenceViews)
            lists.append(features)
        }
        return (views, lists)
    }

    /// What the first pass found a token to be elsewhere in the document (`known`: folded word
    /// or stem hash → BIO tag).
    @inline(__always)
    static func knownTag(of view: TokenView, in known: HashKeyedMap<Int>) -> Int? {
        known[view.stemHash] ?? known[view.foldedHash]
    }

    /// Calls `body` with each second-pass feature that a token's first-pass tag elsewhere in the
    /// document gives it (`offset` 0) or gives its neighbours (-1, 1); `tag` is `nil` when the
    /// first pass did not tag the word, or the neighbour is beyond the sentence.
    @inline(__always)
    static func forEachKnownFeature(tag: Int?, offset: Int, _ body: (UInt64) -> Void) {
        switch (offset, tag) {
        case (0, let tag?):
            body(feature(34, UInt64(tag) + 1))
            body(feature(36, UInt64((tag - 1) / 2)))
        case (0, nil): body(feature(34, 0))
        case (-1, let tag?): body(feature(37, UInt64(tag) + 1))
        case (1, let tag?): body(feature(38, UInt64(tag) + 1))
        default: break
        }
    }

    /// The second pass's extra features of every token of a sentence, as lists (for training).
    func knownFeatures(of views: [TokenView], known: HashKeyedMap<Int>) -> [[UInt64]] {
        let tags = views.map { Self.knownTag(of: $0, in: known) }
        return views.indices.map { index in
            var features: [UInt64] = []
            for offset in -1...1 {
                let tag = tags.indices.contains(index + offset) ? tags[index + offset] : nil
                Self.forEachKnownFeature(tag: tag, offset: offset) { features.append($0) }
            }
            return features
        }
    }

    /// The features of every token of one sentence; with `known`, the second pass's.
    func features(of tokens: [String], known: HashKeyedMap<Int> = HashKeyedMap()) -> [[UInt64]] {
        let (views, features) = features(ofDocument: [tokens])
        guard known.count > 0 else { return features[0] }
        return zip(features[0], knownFeatures(of: views[0], known: known)).map { $0 + $1 }
    }

    /// A feature: a template number mixed with one or two values.
    @inline(__always)
    static func feature(_ template: UInt64, _ value: UInt64) -> UInt64 {
        mix(mix(template &+ 0x5151) ^ value)
    }

    @inline(__always)
    static func feature(_ template: UInt64, _ first: UInt64, _ second: UInt64) -> UInt64 {
        mix(mix(mix(template &+ 0x5151) ^ first) ^ second)
    }

    /// The SplitMix64 finaliser: a good 64-bit mix.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Calls `body` with a string's scalars in a buffer (on the stack when short).
    static func withScalars<Result>(of string: String, _ body: (UnsafeBufferPointer<Unicode.Scalar>) -> Result) -> Result {
        let scalars = string.unicodeScalars
        return withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: scalars.count) { buffer in
            _ = buffer.initialize(fromContentsOf: scalars)
            return body(UnsafeBufferPointer(buffer))
        }
    }

    /// FNV-1a over scalars.
    static func hash(_ scalars: some Collection<Unicode.Scalar>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for scalar in scalars { hash = (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
