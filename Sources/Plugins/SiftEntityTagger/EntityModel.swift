import Foundation
import SiftTextToolkit

/// One pass of the tagger as training makes it: a weight per (feature, tag) and transition
/// weights between tags.
struct EntityStage: Sendable {
    /// The feature of each row of ``weights``.
    let features: [UInt64]
    /// `weights[row * tagCount + tag]`.
    let weights: [Float]
    /// `transitions[previous * tagCount + tag]`; row `tagCount` is the sentence start.
    let transitions: [Float]

    /// The row of each feature.
    func rows() -> HashKeyedMap<Int32> {
        var rows = HashKeyedMap<Int32>(capacity: features.count)
        for (row, feature) in features.enumerated() { rows[feature] = Int32(row) }
        return rows
    }

    /// The best tags of a sentence's features; `rows` is ``rows()``.
    func decode(_ sentence: [[UInt64]], rows: HashKeyedMap<Int32>) -> [Int] {
        let tagCount = EntityTagSet.count
        var scores = [Float](repeating: 0, count: sentence.count * tagCount)
        for (position, features) in sentence.enumerated() {
            for feature in features {
                guard let row = rows[feature].map(Int.init) else { continue }
                for tag in 0..<tagCount { scores[position * tagCount + tag] += weights[row * tagCount + tag] }
            }
        }
        return ViterbiDecoder.decode(emissions: scores, transitions: transitions, tagCount: tagCount, allowed: EntityTagSet.allowedTransitions)
    }
}

/// A trained tagger in two passes: the first tags each sentence on its own; the second sees,
/// for every word, what the first found it to be elsewhere in the document (news repeats
/// names: a name tagged confidently once informs its other mentions).
public struct EntityModel: Sendable {
    /// The feature extractor, with the model's lexicon and word classes.
    public let features: EntityFeatures
    /// Both passes' weights: the first pass tags sentence by sentence, the second with
    /// document-level features.
    let weights: FeatureWeights
    /// Each pass's transition weights (``EntityStage/transitions``).
    let transitions: [[Float]]
    /// The same with the transitions the tag set forbids at `-infinity` (``ViterbiDecoder/masked(_:allowed:)``).
    let maskedTransitions: [[Float]]
    /// How the passes were trained.
    public let algorithm: EntityTrainer.Settings.Algorithm
    /// Abbreviations and the full names they stand for, both as ``EntityCanonicalizer/key(_:)``
    /// (`الناتو` → `حلف شمال الاطلسي`), gathered from unlabelled text (``EntityHarvester/aliases()``).
    public var aliases: [String: String] = [:] {
        didSet { aliasFilter = AliasKeyFilter(keys: aliases.keys) }
    }
    /// What quickly tells the names that are no abbreviation (``aliases``).
    private(set) var aliasFilter = AliasKeyFilter(keys: [])

    /// The margin (``tagWithMargins(document:)``) that means about 73% sure (1 / (1 + e⁻¹)): a
    /// conditional random field's margins are log-odds (1); a perceptron's weights have no
    /// such unit, and a margin of 10 is confident there (4).
    public var marginScale: Float { algorithm == .crf ? 1 : 4 }

    /// The file format written (`SIFTNER` and the version); versions from 4 are read: 5 without
    /// aliases, 4 also without the algorithm (perceptron models).
    static let formatVersions = 4...6
    static func magic(version: Int) -> [UInt8] { Array("SIFTNER\(version)".utf8) }
    static let tagCount = EntityTagSet.count
    static let beginPerson = EntityTagSet.index(of: "B-PERS")!
    /// A score no tag sequence overcomes (finite, so that margins stay numbers).
    static let forbidden: Float = 1e4

    /// Analyses of the tokens met so far.
    let tokenCache: TokenAnalysisCache

    /// Tokens whose analyses are kept across documents by default (about 15 MB when full).
    public static let defaultTokenCacheCapacity = 32_768

    init(
        features: EntityFeatures, first: EntityStage, second: EntityStage, algorithm: EntityTrainer.Settings.Algorithm = .perceptron,
        tokenCacheCapacity: Int = defaultTokenCacheCapacity
    ) {
        self.init(
            features: features, weights: FeatureWeights(stages: [first, second]), transitions: [first.transitions, second.transitions],
            algorithm: algorithm, tokenCacheCapacity: tokenCacheCapacity)
    }

    private init(
        features: EntityFeatures, weights: FeatureWeights, transitions: [[Float]], algorithm: EntityTrainer.Settings.Algorithm,
        tokenCacheCapacity: Int
    ) {
        self.features = features
        self.algorithm = algorithm
        self.weights = weights
        self.transitions = transitions
        maskedTransitions = transitions.map { ViterbiDecoder.masked($0, allowed: EntityTagSet.allowedTransitions) }
        tokenCache = TokenAnalysisCache(capacity: tokenCacheCapacity)
    }

    /// The number of features with weights, over both passes.
    public var featureCount: Int { weights.passes.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The best tags of a pass under given scores.
    func decode(pass: Int, emissions: [Float]) -> [Int] {
        ViterbiDecoder.decode(emissions: emissions, masked: maskedTransitions[pass], tagCount: Self.tagCount)
    }

    /// The tags of each sentence of a document (tokenised sentences, in order).
    public func tag(document: [[String]]) -> [[Int]] {
        tag(document: document, spreadingNames: true)
    }

    /// The same; without `spreadingNames`, the names found are not spread to their untagged
    /// mentions (``spreadNames(views:tags:)``).
    public func tag(document: [[String]], spreadingNames: Bool) -> [[Int]] {
        let (views, emissions) = secondPassEmissions(document)
        var tags = emissions.enumerated().map {
            corrected(Self.splitNames(decode(pass: 1, emissions: $1), sentence: $0, views: views), sentence: document[$0])
        }
        guard spreadingNames else { return tags }
        for spread in Self.spreadNames(views: views, tags: tags) {
            for inside in spread.range { tags[spread.sentence][inside] = spread.tag(at: inside) }
        }
        return tags
    }

    /// People's names do not run on into a preposition with the article: "ستولتنبرغ للسراج" is
    /// two people ("Stoltenberg to al-Sarraj"); the second begins at the preposition.
    /// (Organisations' names do: الجمعية العامة للأمم المتحدة.)
    static func splitNames(_ tags: [Int], sentence: Int, views: EntityFeatures.DocumentViews) -> [Int] {
        var tags = tags
        let insidePerson = EntityTagSet.index(of: "I-PERS")
        let tokens = views.sentences[sentence]
        for position in tags.indices.dropFirst() where tags[position] == insidePerson && views.distinct[Int(tokens[position])].opensPhrase {
            tags[position] -= 1
        }
        return tags
    }

    /// A name found in a document, said again where the tagger left it untagged.
    struct SpreadName {
        var sentence: Int
        var range: Range<Int>
        /// The `B-` tag of its type.
        var begin: Int
        /// Where the tagger found it (a sentence, a token range).
        var source: (sentence: Int, range: Range<Int>)

        /// Its tag at a position of ``range``: `B-` first, `I-` after.
        func tag(at position: Int) -> Int { position == range.lowerBound ? begin : begin + 1 }
    }

    /// The names the tagger found in a document, at their other mentions that it left untagged:
    /// a name of several words said again, a person's surname on its own (السراج after فائز
    /// السراج). News names a person in full once, then by surname.
    static func spreadNames(views: EntityFeatures.DocumentViews, tags: [[Int]]) -> [SpreadName] {
        // Key (of the words' stems) → where the name was found and its B- tag; nil where names of two types meet.
        var names = HashKeyedMap<(begin: Int, sentence: Int, range: Range<Int>)?>()
        var longest = 1
        func add(_ key: UInt64, _ begin: Int, _ sentence: Int, _ range: Range<Int>) {
            if let known = names[key] {
                if let known, known.begin != begin { names[key] = .some(nil) }
            } else {
                names[key] = (begin, sentence, range)
            }
        }
        var otherLastWords: [(key: UInt64, begin: Int)] = []
        for (number, sentence) in views.sentences.enumerated() {
            for entity in EntityEvaluation.entities(tags[number]) where entity.range.count >= 2 {
                let begin = tags[number][entity.range.lowerBound]
                guard EntityTagSet.isBegin(begin) else { continue }
                add(EntityLexicon.sequenceHash(entity.range.map { views.distinct[Int(sentence[$0])].stemHash }), begin, number, entity.range)
                longest = max(longest, entity.range.count)
                let last = views.distinct[Int(sentence[entity.range.upperBound - 1])]
                if entity.type == "PERS", last.stemLength >= 4 {
                    add(last.stemHash, begin, number, entity.range)
                } else {
                    otherLastWords.append((last.stemHash, begin))
                }
            }
        }
        // A surname that also ends a name of another type (حلف الناتو, and a person "… الناتو") is not spread.
        for (key, begin) in otherLastWords {
            if case let known?? = names[key], known.begin != begin { names[key] = .some(nil) }
        }
        guard names.count > 0 else { return [] }
        var spread: [SpreadName] = []
        for (number, sentence) in views.sentences.enumerated() {
            var index = 0
            while index < sentence.count {
                // The longest name starting here over untagged words, its key grown a word at a time.
                var found: SpreadName?
                var key: UInt64 = 0
                var end = index
                while end < min(index + longest, sentence.count), tags[number][end] == EntityTagSet.outside {
                    let stem = views.distinct[Int(sentence[end])].stemHash
                    key = end == index ? stem : EntityLexicon.sequenceHash(first: key, rest: CollectionOfOne(stem))
                    end += 1
                    if case let name?? = names[key] {
                        found = SpreadName(sentence: number, range: index..<end, begin: name.begin, source: (name.sentence, name.range))
                    }
                }
                if let found {
                    spread.append(found)
                    index = found.range.upperBound
                } else {
                    index += 1
                }
            }
        }
        return spread
    }

    /// The second pass's tag scores of each sentence. What depends on one token alone — its own
    /// features, the features it gives its neighbours, what the first pass found it to be — is
    /// scored once per distinct token of the document, for both passes at once; only features
    /// of several tokens are scored per position.
    private func secondPassEmissions(_ document: [[String]]) -> (EntityFeatures.DocumentViews, [[Float]]) {
        let tagCount = Self.tagCount
        let width = 2 * tagCount
        // Each distinct token's view and own scores: from the cache, or worked out and cached.
        let (tokens, keys, sentences) = EntityFeatures.distinctTokens(of: document)
        let distinctCount = tokens.count
        let offsets = EntityFeatures.neighbourOffsets
        var own = [Float](repeating: 0, count: distinctCount * width)
        // Per distinct token and per offset, what it gives the token at that distance; the
        // entries after the last token are the sentence edge.
        var neighbour = [Float](repeating: 0, count: (distinctCount + 1) * offsets.count * width)
        var found = [EntityFeatures.TokenView?](repeating: nil, count: distinctCount)
        var batch: [UInt64] = []
        var targets: [Int32] = []
        own.withUnsafeMutableBufferPointer { own in
            neighbour.withUnsafeMutableBufferPointer { neighbour in
                let missing = tokenCache.fill(
                    keys: keys, tokens: tokens, views: &found, scores: own.baseAddress!, neighbourScores: neighbour.baseAddress!)
                for index in missing {
                    found[index] = features.view(of: tokens[index]) {
                        batch.append($0)
                        targets.append(Int32(index))
                    }
                }
                weights.add(batch, positions: targets, to: own.baseAddress!)
                batch.removeAll(keepingCapacity: true)
                targets.removeAll(keepingCapacity: true)
                for index in missing + [distinctCount] {
                    let view = index < distinctCount ? found[index] : nil
                    for (slot, offset) in offsets.enumerated() {
                        features.forEachNeighbourFeature(of: view, offset: offset) {
                            batch.append($0)
                            targets.append(Int32(index * offsets.count + slot))
                        }
                    }
                }
                weights.add(batch, positions: targets, to: neighbour.baseAddress!)
                tokenCache.store(
                    keys: keys, tokens: tokens, indices: missing, views: found, scores: own.baseAddress!, neighbourScores: neighbour.baseAddress!)
            }
        }
        let views = EntityFeatures.DocumentViews(distinct: found.compactMap { $0 }, sentences: sentences)

        var scores: [[Float]] = []
        var firstPass: [[Int]] = []
        scores.reserveCapacity(views.sentences.count)
        firstPass.reserveCapacity(views.sentences.count)
        // Both passes' scores of a sentence, token after token (`both[position * width + pass * tagCount + tag]`),
        // in one buffer for every sentence.
        var both: [Float] = []
        var workspace = ViterbiDecoder.Workspace()
        for (number, sentence) in views.sentences.enumerated() {
            let count = sentence.count * width
            if both.count < count { both = [Float](repeating: 0, count: max(count, 2 * both.count)) }
            both.withUnsafeMutableBufferPointer { both in
                both.baseAddress!.update(repeating: 0, count: count)
                own.withUnsafeBufferPointer { own in
                    neighbour.withUnsafeBufferPointer { neighbour in
                        for (position, index) in sentence.enumerated() {
                            let target = both.baseAddress! + position * width
                            Self.add(own.baseAddress! + Int(index) * width, to: target, count: width)
                            for (slot, offset) in offsets.enumerated() {
                                let other = position + offset
                                let source = sentence.indices.contains(other) ? Int(sentence[other]) : distinctCount
                                Self.add(neighbour.baseAddress! + (source * offsets.count + slot) * width, to: target, count: width)
                            }
                        }
                    }
                }
                batch.removeAll(keepingCapacity: true)
                targets.removeAll(keepingCapacity: true)
                features.forEachPositionFeature(of: views.views(ofSentence: number)) { position, feature in
                    batch.append(feature)
                    targets.append(Int32(position))
                }
                weights.add(batch, positions: targets, to: both.baseAddress!)
                firstPass.append(
                    ViterbiDecoder.decode(
                        emissions: UnsafeBufferPointer(rebasing: both[..<count]), stride: width, masked: maskedTransitions[0], tagCount: tagCount,
                        workspace: &workspace))
                var second = [Float](unsafeUninitializedCapacity: sentence.count * tagCount) { second, initialized in
                    for position in sentence.indices {
                        (second.baseAddress! + position * tagCount).initialize(from: both.baseAddress! + position * width + tagCount, count: tagCount)
                    }
                    initialized = sentence.count * tagCount
                }
                // An organisation's head word (حلف، وزارة، شركة …) is never part of a person's name:
                // "الأمين العام لحلف الناتو ينس ستولتنبرغ" names the alliance, then the man.
                for (position, index) in sentence.enumerated() where views.distinct[Int(index)].headsOrganisation {
                    second[position * tagCount + Self.beginPerson] = -Self.forbidden
                    second[position * tagCount + Self.beginPerson + 1] = -Self.forbidden
                }
                scores.append(second)
            }
        }

        // What the first pass found each distinct token to be, as second-pass scores: for the
        // token itself (slot 0), for the token after it (1) and the one before it (2).
        let known = Self.knownTags(views: views, tags: firstPass)
        var knownScores = [Float](repeating: 0, count: distinctCount * 3 * tagCount)
        knownScores.withUnsafeMutableBufferPointer { knownScores in
            for (index, view) in views.distinct.enumerated() {
                let tag = EntityFeatures.knownTag(of: view, in: known)
                for (slot, offset) in [0, -1, 1].enumerated() {
                    let target = knownScores.baseAddress! + (index * 3 + slot) * tagCount
                    EntityFeatures.forEachKnownFeature(tag: tag, offset: offset) { weights.add($0, pass: 1, to: target) }
                }
            }
        }
        knownScores.withUnsafeBufferPointer { knownScores in
            let known = knownScores.baseAddress!
            for (number, sentence) in views.sentences.enumerated() {
                scores[number].withUnsafeMutableBufferPointer { target in
                    for (position, index) in sentence.enumerated() {
                        let scores = target.baseAddress! + position * tagCount
                        Self.add(known + Int(index) * 3 * tagCount, to: scores)
                        if position > 0 { Self.add(known + (Int(sentence[position - 1]) * 3 + 1) * tagCount, to: scores) }
                        if position + 1 < sentence.count { Self.add(known + (Int(sentence[position + 1]) * 3 + 2) * tagCount, to: scores) }
                    }
                }
            }
        }
        return (views, scores)
    }

    /// Adds `count` scores to as many others.
    @inline(__always)
    private static func add(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int = tagCount) {
        for index in 0..<count { target[index] += source[index] }
    }

    /// How sure the tagger is of a name, from its tokens' margins (``tagWithMargins(document:)``):
    /// the logistic of the smallest, in units of ``marginScale`` (0 is a coin toss).
    public func confidence(ofMargins margins: some Sequence<Float>) -> Double {
        1 / (1 + exp(-Double((margins.min() ?? 0) / marginScale)))
    }

    /// The tags of each sentence of a document, each with its margin: how much better the best
    /// tag sequence is than the best one giving the token another tag (small margins mark
    /// unsure tags).
    public func tagWithMargins(document: [[String]]) -> [[(tag: Int, margin: Float)]] {
        tagWithMargins(document: document, foldedWords: { _ in })
    }

    /// The same; `foldedWords` hears the ``EntityLexicon/wordHash(_:)`` of each distinct token
    /// folded (``EntityLexicon/fold(_:)``), which the tagger works out or finds in its cache.
    func tagWithMargins(document: [[String]], foldedWords: (UInt64) -> Void) -> [[(tag: Int, margin: Float)]] {
        let (views, emissions) = secondPassEmissions(document)
        for view in views.distinct { foldedWords(view.foldedHash) }
        var workspace = ViterbiDecoder.Workspace()
        var tagged = emissions.enumerated().map { number, emissions in
            let best = ViterbiDecoder.decodeWithMarginals(
                emissions: emissions, masked: maskedTransitions[1], tagCount: Self.tagCount, workspace: &workspace)
            let marginals = workspace.marginals
            let decoded = Self.splitNames(best, sentence: number, views: views)
            let tags = corrected(decoded, sentence: document[number])
            return tags.enumerated().map { position, tag in
                // Changed by a rule: about as sure as the rules are on the training part.
                if tag != decoded[position] { return (tag: tag, margin: marginScale * 1.5) }
                let row = position * Self.tagCount
                var other = -Float.infinity
                for index in row..<(row + Self.tagCount) where index != row + tag && marginals[index] > other { other = marginals[index] }
                return (tag: tag, margin: min(marginals[row + tag] - other, 1000))
            }
        }
        // A name said again is as sure as where it was found, halved: the tagger did not see it there.
        for spread in Self.spreadNames(views: views, tags: tagged.map { $0.map(\.tag) }) {
            let margin = tagged[spread.source.sentence][spread.source.range].map(\.margin).min() ?? 0
            for inside in spread.range {
                tagged[spread.sentence][inside] = (spread.tag(at: inside), margin / 2)
            }
        }
        return tagged
    }

    /// The tags of one sentence taken as a whole document.
    public func tag(_ tokens: [String]) -> [Int] {
        tag(document: [tokens])[0]
    }

    /// What each folded word (and stem), by hash, was tagged as in a document, by majority (a BIO tag).
    static func knownTags(views: EntityFeatures.DocumentViews, tags: [[Int]]) -> HashKeyedMap<Int> {
        knownTags(views: views.sentences.indices.map { views.views(ofSentence: $0) }, tags: tags)
    }

    /// The same, from each sentence's views.
    static func knownTags(views: [[EntityFeatures.TokenView]], tags: [[Int]]) -> HashKeyedMap<Int> {
        // Each key's number (in order of first vote) and its votes per tag, side by side.
        var numbers = HashKeyedMap<Int32>()
        var keys: [UInt64] = []
        var counts: [Int32] = []
        let tagCount = EntityTagSet.count
        func vote(_ key: UInt64, _ tag: Int) {
            let number: Int
            if let known = numbers[key] {
                number = Int(known)
            } else {
                number = keys.count
                numbers[key] = Int32(number)
                keys.append(key)
                counts.append(contentsOf: repeatElement(0, count: tagCount))
            }
            counts[number * tagCount + tag] += 1
        }
        for (sentence, sentenceTags) in zip(views, tags) {
            for (view, tag) in zip(sentence, sentenceTags) where tag != EntityTagSet.outside {
                // Short function words inside names ("بن", "عبد") say little on their own.
                guard view.stemLength >= 3 else { continue }
                vote(view.stemHash, tag)
                if view.foldedHash != view.stemHash { vote(view.foldedHash, tag) }
            }
        }
        // The most voted tag; on a tie, the lowest index (B- before I-, PERS before LOC …).
        var known = HashKeyedMap<Int>(capacity: keys.count)
        for (number, key) in keys.enumerated() {
            let row = number * tagCount
            var best = 0
            for tag in 1..<tagCount where counts[row + tag] > counts[row + best] { best = tag }
            known[key] = best
        }
        return known
    }

    /// The model as bytes (little-endian).
    public func serialized() -> [UInt8] { serialized(version: Self.formatVersions.upperBound) }

    /// The model in a file format version (4 and 5 leave out what they did not have), for tests
    /// of reading older files.
    func serialized(version: Int) -> [UInt8] {
        var bytes = Self.magic(version: version)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func append(_ string: String) {
            let utf8 = Array(string.utf8)
            append(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        append(UInt32(Self.tagCount))
        if version >= 5 { append(UInt8(EntityTrainer.Settings.Algorithm.allCases.firstIndex(of: algorithm)!)) }
        let gazetteers = features.lexicon.gazetteers.sorted { $0.key < $1.key }
        append(UInt32(gazetteers.count))
        for (type, entries) in gazetteers {
            append(type)
            let sorted = entries.map { $0.joined(separator: " ") }.sorted()
            append(UInt32(sorted.count))
            for entry in sorted { append(entry) }
        }
        let classes = features.wordClasses.sorted { $0.key < $1.key }
        append(UInt32(classes.count))
        for (word, number) in classes {
            append(word)
            append(number)
        }
        append(UInt32(features.frequencyBands.count))
        for (hash, band) in features.frequencyBands {
            append(hash)
            append(band)
        }
        if version >= 6 {
            append(UInt32(aliases.count))
            for (short, name) in aliases.sorted(by: { $0.key < $1.key }) {
                append(short)
                append(name)
            }
        }
        for pass in 0..<2 {
            let ordered = (0..<weights.rowCount).filter { weights.passes[$0] & (1 << pass) != 0 }.sorted {
                weights.feature(ofRow: $0) < weights.feature(ofRow: $1)
            }
            append(UInt32(ordered.count))
            for row in ordered { append(weights.feature(ofRow: row)) }
            // Half precision: the weights need three significant digits, and the file halves.
            for row in ordered {
                for bits in weights.halves(ofRow: row, pass: pass) { append(bits) }
            }
            for weight in transitions[pass] { append(weight.bitPattern) }
        }
        return bytes
    }

    /// Reads a model; `tokenCacheCapacity` tokens' analyses are kept across documents (0: none).
    /// - Throws: ``EntityModelError`` when the bytes are not a model.
    public init(bytes: [UInt8], tokenCacheCapacity: Int = defaultTokenCacheCapacity) throws {
        var position = 0
        func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, position + count <= bytes.count else { throw EntityModelError(.malformed, "truncated entity model") }
            defer { position += count }
            return bytes[position..<(position + count)]
        }
        func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            var value: T = 0
            let slice = try take(MemoryLayout<T>.size)
            withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: slice) }
            return T(littleEndian: value)
        }
        func string() throws -> String {
            String(decoding: try take(Int(try integer(UInt32.self))), as: UTF8.self)
        }
        let magic = Array(try take(8))
        guard let version = Self.formatVersions.first(where: { Self.magic(version: $0) == magic }) else {
            throw EntityModelError(.malformed, "not a siftd entity model")
        }
        guard Int(try integer(UInt32.self)) == Self.tagCount else { throw EntityModelError(.malformed, "the model has another tag set") }
        let algorithms = EntityTrainer.Settings.Algorithm.allCases
        let code = version >= 5 ? Int(try integer(UInt8.self)) : 0
        guard algorithms.indices.contains(code) else { throw EntityModelError(.malformed, "unknown training algorithm \(code) in the entity model") }
        var lexicon = EntityLexicon()
        for _ in 0..<Int(try integer(UInt32.self)) {
            let type = try string()
            guard EntityTagSet.types.contains(type) else { throw EntityModelError(.malformed, "unknown entity type '\(type)'") }
            var names: [String] = []
            for _ in 0..<Int(try integer(UInt32.self)) { names.append(try string()) }
            lexicon.add(type: type, names: names)
        }
        var classes: [String: UInt16] = [:]
        for _ in 0..<Int(try integer(UInt32.self)) {
            let word = try string()
            classes[word] = try integer(UInt16.self)
        }
        let bandCount = Int(try integer(UInt32.self))
        guard bandCount <= (bytes.count - position) / 9 else { throw EntityModelError(.malformed, "truncated entity model") }
        var bands: [(hash: UInt64, band: UInt8)] = []
        bands.reserveCapacity(bandCount)
        for _ in 0..<bandCount { bands.append((try integer(UInt64.self), try integer(UInt8.self))) }
        var aliases: [String: String] = [:]
        if version >= 6 {
            for _ in 0..<Int(try integer(UInt32.self)) {
                let short = try string()
                aliases[short] = try string()
            }
        }
        var passes: [FeatureWeights.Pass] = []
        var transitions: [[Float]] = []
        for _ in 0..<2 {
            let featureCount = Int(try integer(UInt32.self))
            guard featureCount <= (bytes.count - position) / 8 else { throw EntityModelError(.malformed, "truncated entity model") }
            // Written in increasing order: anything else is damage (and would repeat a feature).
            var features: [UInt64] = []
            features.reserveCapacity(featureCount)
            for _ in 0..<featureCount {
                let feature = try integer(UInt64.self)
                guard features.last.map({ $0 < feature }) ?? true else {
                    throw EntityModelError(.malformed, "features out of order in the entity model")
                }
                features.append(feature)
            }
            let weightCount = featureCount * Self.tagCount
            let halves = try take(2 * weightCount).withUnsafeBytes { bytes in
                (0..<weightCount).map { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)) }
            }
            passes.append(FeatureWeights.Pass(features: features, halves: halves))
            var passTransitions: [Float] = []
            for _ in 0..<((Self.tagCount + 1) * Self.tagCount) { passTransitions.append(Float(bitPattern: try integer(UInt32.self))) }
            transitions.append(passTransitions)
        }
        guard position == bytes.count else { throw EntityModelError(.malformed, "trailing bytes after the entity model") }
        self.init(
            features: EntityFeatures(lexicon: lexicon, wordClasses: classes, frequencyBands: bands), weights: try FeatureWeights(passes: passes),
            transitions: transitions, algorithm: algorithms[code], tokenCacheCapacity: tokenCacheCapacity)
        self.aliases = aliases
        aliasFilter = AliasKeyFilter(keys: aliases.keys)
    }

    /// Reads a model file; `tokenCacheCapacity` tokens' analyses are kept across documents (0: none).
    public init(contentsOf url: URL, tokenCacheCapacity: Int = defaultTokenCacheCapacity) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EntityModelError(
                FileManager.default.fileExists(atPath: url.path) ? .unreadable : .notFound, "cannot read the entity model \(url.path)")
        }
        do {
            try self.init(bytes: Array(data), tokenCacheCapacity: tokenCacheCapacity)
        } catch let error as EntityModelError {
            throw EntityModelError(error.code, "\(url.path): \(error.message)")
        }
    }
}
