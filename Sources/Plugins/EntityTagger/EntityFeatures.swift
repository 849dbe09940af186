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

    private static let clitics = ArabicClitics()

    /// Creates the feature extractor.
    public init(lexicon: EntityLexicon, wordClasses: [String: UInt16] = [:]) {
        self.lexicon = lexicon
        self.wordClasses = wordClasses
        var classesByHash = HashKeyedMap<UInt16>(capacity: wordClasses.count)
        for (word, value) in wordClasses { classesByHash[EntityLexicon.wordHash(word)] = value }
        self.classesByHash = classesByHash
    }

    /// Whether a folded word is known to stand on its own: a gazetteer entry or a word with a class.
    public func knows(_ folded: String) -> Bool {
        lexicon.knows(folded) || classesByHash[EntityLexicon.wordHash(folded)] != nil
    }

    /// What the features need to know about one distinct token.
    struct TokenView {
        var folded: String
        var stem: String
        var foldedHash: UInt64
        var stemHash: UInt64
        var shapeHash: UInt64
        var fineClass: UInt64
        var coarseClass: UInt64
        /// Gazetteer types of the stem (low four bits, in ``EntityTagSet/types`` order) and of the folded word (high four).
        var gazetteerTypes: UInt8
        /// Types this word announces when it comes before a name (titles, "city", "company").
        var triggersBefore: UInt8
        /// Types this word announces when it comes after a name.
        var triggersAfter: UInt8
        /// The features of the token on its own.
        var own: [UInt64]
    }

    /// Analyses a token.
    func view(of token: String) -> TokenView {
        let folded = EntityLexicon.fold(token)
        let segmentation = Self.clitics.segment(token) { lexicon.knows(EntityLexicon.fold($0)) }
        let stem = segmentation.stemOffset == 0 ? folded : EntityLexicon.fold(segmentation.stem)
        let shape = Self.shape(token)
        let stemHash = EntityLexicon.wordHash(stem)
        let foldedHash = EntityLexicon.wordHash(folded)
        let classValue = classesByHash[stemHash] ?? classesByHash[foldedHash]
        let fineClass = classValue.map { UInt64($0 & 0x3FF) } ?? 0xFFFF
        let coarseClass = classValue.map { UInt64($0 >> 10) } ?? 0xFFFF
        let gazetteerTypes = lexicon.types(ofWord: stemHash) | lexicon.types(ofWord: foldedHash) << 4
        let foldedTriggers = EntityLexicon.triggerBits[foldedHash] ?? 0
        let stemTriggers = EntityLexicon.triggerBits[stemHash] ?? 0
        let triggersBefore = (foldedTriggers | stemTriggers) & 0x0F
        let triggersAfter = foldedTriggers >> 4
        var own: [UInt64] = [
            Self.feature(0, 0), Self.feature(1, foldedHash), Self.feature(2, stemHash),
            Self.feature(3, EntityLexicon.wordHash(segmentation.prefixes.joined(separator: "+"))), Self.feature(4, EntityLexicon.wordHash(shape)),
            Self.feature(30, fineClass), Self.feature(48, coarseClass),
        ]
        let stemScalars = Array(stem.unicodeScalars)
        for length in 1...3 where stemScalars.count > length {
            own.append(Self.feature(5 + UInt64(length), Self.hash(stemScalars.prefix(length))))
            own.append(Self.feature(8 + UInt64(length), Self.hash(stemScalars.suffix(length))))
        }
        own.append(Self.feature(12, UInt64(min(stemScalars.count, 9))))
        // Letter triples inside the stem: transliterated foreign names have telling ones (سكي، وف، يه).
        if stemScalars.count >= 4, shape == "a" {
            for start in 0...(stemScalars.count - 3) { own.append(Self.feature(39, Self.hash(stemScalars[start..<(start + 3)]))) }
        }
        if !segmentation.prefixes.isEmpty {
            let foldedScalars = Array(folded.unicodeScalars)
            for length in 1...2 where foldedScalars.count > length {
                own.append(Self.feature(40 + UInt64(length), Self.hash(foldedScalars.prefix(length))))
            }
        }
        let parts = lexicon.partTypes(ofWord: stemHash)
        for bit in 0..<EntityTagSet.types.count {
            if parts.first & (1 << bit) != 0 { own.append(Self.feature(51, UInt64(bit))) }
            if parts.last & (1 << bit) != 0 { own.append(Self.feature(52, UInt64(bit))) }
            if gazetteerTypes & (1 << bit) != 0 { own.append(Self.feature(22, UInt64(bit))) }
            if gazetteerTypes & (1 << (bit + 4)) != 0 { own.append(Self.feature(50, UInt64(bit))) }
            if triggersBefore & (1 << bit) != 0 { own.append(Self.feature(28, UInt64(bit))) }
        }
        return TokenView(
            folded: folded, stem: stem, foldedHash: foldedHash, stemHash: stemHash, shapeHash: EntityLexicon.wordHash(shape),
            fineClass: fineClass, coarseClass: coarseClass, gazetteerTypes: gazetteerTypes, triggersBefore: triggersBefore,
            triggersAfter: triggersAfter, own: own)
    }

    /// The views of a document's sentences; each distinct token is analysed once.
    func views(ofDocument document: [[String]]) -> [[TokenView]] {
        var cache = HashKeyedMap<TokenView>(capacity: 256)
        return document.map { sentence in
            sentence.map { token in
                let key = EntityLexicon.wordHash(token)
                if let view = cache[key] { return view }
                let view = view(of: token)
                cache[key] = view
                return view
            }
        }
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

    /// The first-pass features of every token of a sentence.
    func features(of views: [TokenView]) -> [[UInt64]] {
        var features = views.map { view -> [UInt64] in
            var list: [UInt64] = []
            list.reserveCapacity(view.own.count + 32)
            return list
        }
        forEachFeature(of: views) { position, feature in features[position].append(feature) }
        return features
    }

    /// Calls `body` with the position and hash of every first-pass feature of a sentence,
    /// without building lists (tagging scores them as they come).
    @inline(__always)
    func forEachFeature(of views: [TokenView], _ body: (Int, UInt64) -> Void) {
        let count = views.count
        var gazetteerTags = [UInt64?](repeating: nil, count: count)
        for match in lexicon.matches(words: views.map(\.foldedHash), stems: views.map(\.stemHash)) {
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
            for feature in view.own { add(feature) }
            add(Self.feature(13, word(index - 1)))
            add(Self.feature(14, word(index + 1)))
            add(Self.feature(15, word(index - 2)))
            add(Self.feature(16, word(index + 2)))
            add(Self.feature(17, stem(index - 1)))
            add(Self.feature(18, stem(index + 1)))
            add(Self.feature(19, word(index - 1), view.stemHash))
            add(Self.feature(20, view.stemHash, word(index + 1)))
            add(Self.feature(21, shape(index - 1), view.shapeHash))
            if let tag = gazetteerTags[index] { add(Self.feature(23, tag)) }
            if index > 0, let tag = gazetteerTags[index - 1] { add(Self.feature(24, tag)) }
            if index + 1 < count, let tag = gazetteerTags[index + 1] { add(Self.feature(25, tag)) }
            for bit in 0..<EntityTagSet.types.count {
                if index > 0, views[index - 1].triggersBefore & (1 << bit) != 0 { add(Self.feature(26, UInt64(bit))) }
                if index > 1, views[index - 2].triggersBefore & (1 << bit) != 0 { add(Self.feature(27, UInt64(bit))) }
                if index + 1 < count, views[index + 1].triggersAfter & (1 << bit) != 0 { add(Self.feature(29, UInt64(bit))) }
            }
            add(Self.feature(31, fine(index - 1)))
            add(Self.feature(32, fine(index + 1)))
            add(Self.feature(33, fine(index - 1), fine(index)))
            add(Self.feature(43, fine(index - 2)))
            add(Self.feature(44, fine(index + 2)))
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

    /// The second pass's extra features: what the first pass found each word (and its
    /// neighbours) to be elsewhere in the document (`known`: folded word or stem hash → BIO tag).
    func knownFeatures(of views: [TokenView], known: HashKeyedMap<Int>) -> [[UInt64]] {
        var features = [[UInt64]](repeating: [], count: views.count)
        forEachKnownFeature(of: views, known: known) { position, feature in features[position].append(feature) }
        return features
    }

    /// Calls `body` with the position and hash of every second-pass extra feature.
    @inline(__always)
    func forEachKnownFeature(of views: [TokenView], known: HashKeyedMap<Int>, _ body: (Int, UInt64) -> Void) {
        func tag(_ index: Int) -> Int? {
            guard index >= 0, index < views.count else { return nil }
            return known[views[index].stemHash] ?? known[views[index].foldedHash]
        }
        for index in views.indices {
            if let tag = tag(index) {
                body(index, Self.feature(34, UInt64(tag) + 1))
                body(index, Self.feature(36, UInt64((tag - 1) / 2)))
            } else {
                body(index, Self.feature(34, 0))
            }
            if let tag = tag(index - 1) { body(index, Self.feature(37, UInt64(tag) + 1)) }
            if let tag = tag(index + 1) { body(index, Self.feature(38, UInt64(tag) + 1)) }
        }
    }

    /// The features of every token of one sentence; with `known`, the second pass's.
    func features(of tokens: [String], known: HashKeyedMap<Int> = HashKeyedMap()) -> [[UInt64]] {
        let views = views(ofDocument: [tokens])[0]
        let base = features(of: views)
        guard known.count > 0 else { return base }
        return zip(base, knownFeatures(of: views, known: known)).map { $0 + $1 }
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

    /// FNV-1a over scalars.
    static func hash(_ scalars: some Collection<Unicode.Scalar>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for scalar in scalars { hash = (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
