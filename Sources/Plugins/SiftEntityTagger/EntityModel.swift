import Foundation
import SiftTextToolkit

/// One pass of the tagger: a weight per (feature, tag) and transition weights between tags.
struct EntityStage: Sendable {
    /// The feature of each row of ``weights``.
    let features: [UInt64]
    /// `weights[row * tagCount + tag]`.
    let weights: [Float]
    /// `transitions[previous * tagCount + tag]`; row `tagCount` is the sentence start.
    let transitions: [Float]

    /// Per-token tag scores of a sentence's features; `table` finds this stage's rows (first column).
    func emissions(_ sentence: [[UInt64]], table: FeatureTable) -> [Float] {
        var scores = [Float](repeating: 0, count: sentence.count * EntityTagSet.count)
        for (position, features) in sentence.enumerated() {
            for feature in features {
                if let row = table.row(feature) { add(row: row, at: position, to: &scores) }
            }
        }
        return scores
    }

    /// Adds a row of weights to the scores of the token at `position`.
    @inline(__always)
    func add(row: Int32, at position: Int, to scores: inout [Float]) {
        let tagCount = EntityTagSet.count
        weights.withUnsafeBufferPointer { weights in
            scores.withUnsafeMutableBufferPointer { scores in
                let base = Int(row) * tagCount
                for tag in 0..<tagCount { scores[position * tagCount + tag] += weights[base + tag] }
            }
        }
    }

    /// The best tags of a sentence's features.
    func decode(_ sentence: [[UInt64]], table: FeatureTable) -> [Int] {
        decode(emissions: emissions(sentence, table: table))
    }

    /// The best tags under given scores.
    func decode(emissions: [Float]) -> [Int] {
        ViterbiDecoder.decode(
            emissions: emissions, transitions: transitions, tagCount: EntityTagSet.count, allowed: EntityTagSet.allowedTransitions)
    }
}

/// A trained tagger in two passes: the first tags each sentence on its own; the second sees,
/// for every word, what the first found it to be elsewhere in the document (news repeats
/// names: a name tagged confidently once informs its other mentions).
public struct EntityModel: Sendable {
    /// The feature extractor, with the model's lexicon and word classes.
    public let features: EntityFeatures
    /// The first pass, sentence by sentence.
    let first: EntityStage
    /// The second pass, with document-level features.
    let second: EntityStage
    /// How the passes were trained.
    public let algorithm: EntityTrainer.Settings.Algorithm
    /// Abbreviations and the full names they stand for, both as ``EntityCanonicalizer/key(_:)``
    /// (`الناتو` → `حلف شمال الاطلسي`), gathered from unlabelled text (``EntityHarvester/aliases()``).
    public var aliases: [String: String] = [:]

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

    /// Both passes' rows, for one probe per feature.
    let table: FeatureTable
    /// Analyses of the tokens met so far.
    let tokenCache: TokenAnalysisCache

    /// Tokens whose analyses are kept across documents by default (about 5 MB).
    public static let defaultTokenCacheCapacity = 32_768

    init(
        features: EntityFeatures, first: EntityStage, second: EntityStage, algorithm: EntityTrainer.Settings.Algorithm = .perceptron,
        tokenCacheCapacity: Int = defaultTokenCacheCapacity
    ) {
        self.features = features
        self.algorithm = algorithm
        self.first = first
        self.second = second
        table = FeatureTable(first: first.features, second: second.features)
        tokenCache = TokenAnalysisCache(capacity: tokenCacheCapacity)
    }

    /// The number of features with weights, over both passes.
    public var featureCount: Int { first.features.count + second.features.count }

    /// The tags of each sentence of a document (tokenised sentences, in order).
    public func tag(document: [[String]]) -> [[Int]] {
        tag(document: document, spreadingNames: true)
    }

    /// The same; without `spreadingNames`, the names found are not spread to their untagged
    /// mentions (``spreadNames(views:tags:)``).
    public func tag(document: [[String]], spreadingNames: Bool) -> [[Int]] {
        let (views, emissions) = secondPassEmissions(document)
        var tags = emissions.enumerated().map {
            corrected(Self.splitNames(second.decode(emissions: $1), sentence: $0, views: views), sentence: document[$0])
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
        first.weights.withUnsafeBufferPointer { firstWeights in
            second.weights.withUnsafeBufferPointer { secondWeights in
                let scorer = RowScorer(table: table, first: firstWeights.baseAddress!, second: secondWeights.baseAddress!)
                return secondPassEmissions(document, scorer: scorer)
            }
        }
    }

    /// Adds features' weights to scores of both passes laid out side by side (first pass, then second).
    private struct RowScorer {
        let table: FeatureTable
        let first: UnsafePointer<Float>
        let second: UnsafePointer<Float>
        static let tagCount = EntityTagSet.count

        /// Adds a feature's weights in both passes to `scores[0..<2 * tagCount]`.
        @inline(__always)
        func add(_ feature: UInt64, to scores: UnsafeMutablePointer<Float>) {
            guard let rows = table.rows(feature) else { return }
            if rows.first >= 0 { Self.add(first + Int(rows.first) * Self.tagCount, to: scores) }
            if rows.second >= 0 { Self.add(second + Int(rows.second) * Self.tagCount, to: scores + Self.tagCount) }
        }

        /// Adds a feature's weights in the second pass to `scores[0..<tagCount]`.
        @inline(__always)
        func addSecond(_ feature: UInt64, to scores: UnsafeMutablePointer<Float>) {
            guard let row = table.rows(feature)?.second, row >= 0 else { return }
            Self.add(second + Int(row) * Self.tagCount, to: scores)
        }

        @inline(__always)
        static func add(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int = tagCount) {
            for index in 0..<count { target[index] += source[index] }
        }
    }

    private func secondPassEmissions(_ document: [[String]], scorer: RowScorer) -> (EntityFeatures.DocumentViews, [[Float]]) {
        let tagCount = Self.tagCount
        let width = 2 * tagCount
        // Each distinct token's view and own scores: from the cache, or worked out and cached.
        let (tokens, keys, sentences) = EntityFeatures.distinctTokens(of: document)
        var own = [Float](repeating: 0, count: tokens.count * width)
        var found = [EntityFeatures.TokenView?](repeating: nil, count: tokens.count)
        own.withUnsafeMutableBufferPointer { own in
            let missing = tokenCache.fill(keys: keys, views: &found, scores: own.baseAddress!)
            for index in missing {
                found[index] = features.view(of: tokens[index]) { scorer.add($0, to: own.baseAddress! + index * width) }
            }
            tokenCache.store(keys: keys, indices: missing, views: found, scores: own.baseAddress!)
        }
        let views = EntityFeatures.DocumentViews(distinct: found.compactMap { $0 }, sentences: sentences)
        let distinctCount = views.distinct.count
        let offsets = EntityFeatures.neighbourOffsets
        // Per distinct token and per offset, what it gives the token at that distance; the
        // entries after the last token are the sentence edge.
        var neighbour = [Float](repeating: 0, count: (distinctCount + 1) * offsets.count * width)
        neighbour.withUnsafeMutableBufferPointer { neighbour in
            for index in 0...distinctCount {
                let view = index < distinctCount ? views.distinct[index] : nil
                for (slot, offset) in offsets.enumerated() {
                    let target = neighbour.baseAddress! + (index * offsets.count + slot) * width
                    features.forEachNeighbourFeature(of: view, offset: offset) { scorer.add($0, to: target) }
                }
            }
        }

        var scores: [[Float]] = []
        var firstPass: [[Int]] = []
        scores.reserveCapacity(views.sentences.count)
        firstPass.reserveCapacity(views.sentences.count)
        for (number, sentence) in views.sentences.enumerated() {
            var both = [Float](repeating: 0, count: sentence.count * width)
            both.withUnsafeMutableBufferPointer { both in
                own.withUnsafeBufferPointer { own in
                    neighbour.withUnsafeBufferPointer { neighbour in
                        for (position, index) in sentence.enumerated() {
                            let target = both.baseAddress! + position * width
                            RowScorer.add(own.baseAddress! + Int(index) * width, to: target, count: width)
                            for (slot, offset) in offsets.enumerated() {
                                let other = position + offset
                                let source = sentence.indices.contains(other) ? Int(sentence[other]) : distinctCount
                                RowScorer.add(neighbour.baseAddress! + (source * offsets.count + slot) * width, to: target, count: width)
                            }
                        }
                    }
                }
                features.forEachPositionFeature(of: views.views(ofSentence: number)) { position, feature in
                    scorer.add(feature, to: both.baseAddress! + position * width)
                }
            }
            var first = [Float](repeating: 0, count: sentence.count * tagCount)
            var second = first
            for position in sentence.indices {
                for tag in 0..<tagCount {
                    first[position * tagCount + tag] = both[position * width + tag]
                    second[position * tagCount + tag] = both[position * width + tagCount + tag]
                }
            }
            firstPass.append(self.first.decode(emissions: first))
            // An organisation's head word (حلف، وزارة، شركة …) is never part of a person's name:
            // "الأمين العام لحلف الناتو ينس ستولتنبرغ" names the alliance, then the man.
            for (position, index) in sentence.enumerated() where views.distinct[Int(index)].headsOrganisation {
                second[position * tagCount + Self.beginPerson] = -Self.forbidden
                second[position * tagCount + Self.beginPerson + 1] = -Self.forbidden
            }
            scores.append(second)
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
                    EntityFeatures.forEachKnownFeature(tag: tag, offset: offset) { scorer.addSecond($0, to: target) }
                }
            }
        }
        knownScores.withUnsafeBufferPointer { knownScores in
            let known = knownScores.baseAddress!
            for (number, sentence) in views.sentences.enumerated() {
                scores[number].withUnsafeMutableBufferPointer { target in
                    for (position, index) in sentence.enumerated() {
                        let scores = target.baseAddress! + position * tagCount
                        RowScorer.add(known + Int(index) * 3 * tagCount, to: scores)
                        if position > 0 { RowScorer.add(known + (Int(sentence[position - 1]) * 3 + 1) * tagCount, to: scores) }
                        if position + 1 < sentence.count { RowScorer.add(known + (Int(sentence[position + 1]) * 3 + 2) * tagCount, to: scores) }
                    }
                }
            }
        }
        return (views, scores)
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
        let (views, emissions) = secondPassEmissions(document)
        var tagged = emissions.enumerated().map { number, emissions in
            let decoded = Self.splitNames(second.decode(emissions: emissions), sentence: number, views: views)
            let tags = corrected(decoded, sentence: document[number])
            let marginals = ViterbiDecoder.maxMarginals(emissions: emissions, transitions: second.transitions, tagCount: Self.tagCount)
            return tags.enumerated().map { position, tag in
                // Changed by a rule: about as sure as the rules are on the training part.
                if tag != decoded[position] { return (tag: tag, margin: marginScale * 1.5) }
                let scores = marginals[(position * Self.tagCount)..<((position + 1) * Self.tagCount)]
                let other = scores.indices.filter { $0 != position * Self.tagCount + tag }.map { scores[$0] }.max() ?? -.infinity
                return (tag: tag, margin: min(scores[position * Self.tagCount + tag] - other, 1000))
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
        var votes = HashKeyedMap<[Int]>()
        var keys: [UInt64] = []
        func vote(_ key: UInt64, _ tag: Int) {
            var counts =
                votes[key]
                ?? {
                    keys.append(key)
                    return Array(repeating: 0, count: EntityTagSet.count)
                }()
            counts[tag] += 1
            votes[key] = counts
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
        for key in keys {
            let counts = votes[key]!
            known[key] = counts.indices.max { counts[$0] != counts[$1] ? counts[$0] < counts[$1] : $0 > $1 }!
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
        for stage in [first, second] {
            let ordered = stage.features.enumerated().sorted { $0.element < $1.element }
            append(UInt32(ordered.count))
            for (_, key) in ordered { append(key) }
            // Half precision: the weights need three significant digits, and the file halves.
            for (row, _) in ordered {
                for tag in 0..<Self.tagCount { append(Float16(stage.weights[Int(row) * Self.tagCount + tag]).bitPattern) }
            }
            for weight in stage.transitions { append(weight.bitPattern) }
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
        var stages: [EntityStage] = []
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
            let weights = try take(2 * weightCount).withUnsafeBytes { halves in
                [Float](unsafeUninitializedCapacity: weightCount) { buffer, initialized in
                    for index in 0..<weightCount {
                        buffer[index] = Self.float(fromHalf: UInt16(littleEndian: halves.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
                    }
                    initialized = weightCount
                }
            }
            var transitions: [Float] = []
            for _ in 0..<((Self.tagCount + 1) * Self.tagCount) { transitions.append(Float(bitPattern: try integer(UInt32.self))) }
            stages.append(EntityStage(features: features, weights: weights, transitions: transitions))
        }
        guard position == bytes.count else { throw EntityModelError(.malformed, "trailing bytes after the entity model") }
        self.init(
            features: EntityFeatures(lexicon: lexicon, wordClasses: classes, frequencyBands: bands), first: stages[0], second: stages[1],
            algorithm: algorithms[code], tokenCacheCapacity: tokenCacheCapacity)
        self.aliases = aliases
    }

    /// The single-precision value of a half-precision bit pattern, as `Float(Float16(bitPattern:))`
    /// gives it: without the F16C instructions the compiler may not assume, that conversion is a
    /// library call per weight, a tenth of the model's load.
    @inline(__always)
    static func float(fromHalf bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10 & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero and the subnormals: mantissa × 2⁻²⁴, exact in single precision.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            // Infinity; a NaN keeps its payload and comes out quiet.
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa == 0 ? 0 : 0x40_0000) | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
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
