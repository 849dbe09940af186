import Foundation

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

    static let magic = Array("SIFTNER3".utf8)
    static let tagCount = EntityTagSet.count

    /// Both passes' rows, for one probe per feature.
    let table: FeatureTable

    init(features: EntityFeatures, first: EntityStage, second: EntityStage) {
        self.features = features
        self.first = first
        self.second = second
        table = FeatureTable(first: first.features, second: second.features)
    }

    /// The number of features with weights, over both passes.
    public var featureCount: Int { first.features.count + second.features.count }

    /// The tags of each sentence of a document (tokenised sentences, in order).
    public func tag(document: [[String]]) -> [[Int]] {
        secondPassEmissions(document).map { second.decode(emissions: $0) }
    }

    /// The second pass's tag scores of each sentence. Each first-pass feature is made once and
    /// scored by both passes as it comes; the second then adds what the first found elsewhere
    /// in the document.
    private func secondPassEmissions(_ document: [[String]]) -> [[Float]] {
        let views = features.views(ofDocument: document)
        var secondScores: [[Float]] = []
        var firstPass: [[Int]] = []
        secondScores.reserveCapacity(views.count)
        firstPass.reserveCapacity(views.count)
        for sentence in views {
            var firstScores = [Float](repeating: 0, count: sentence.count * Self.tagCount)
            var scores = firstScores
            features.forEachFeature(of: sentence) { position, feature in
                guard let rows = table.rows(feature) else { return }
                if rows.first >= 0 { first.add(row: rows.first, at: position, to: &firstScores) }
                if rows.second >= 0 { second.add(row: rows.second, at: position, to: &scores) }
            }
            firstPass.append(first.decode(emissions: firstScores))
            secondScores.append(scores)
        }
        let known = Self.knownTags(views: views, tags: firstPass)
        for (index, sentence) in views.enumerated() {
            features.forEachKnownFeature(of: sentence, known: known) { position, feature in
                if let row = table.rows(feature)?.second, row >= 0 { second.add(row: row, at: position, to: &secondScores[index]) }
            }
        }
        return secondScores
    }

    /// The tags of each sentence of a document, each with its margin: how much better the best
    /// tag sequence is than the best one giving the token another tag (small margins mark
    /// unsure tags).
    public func tagWithMargins(document: [[String]]) -> [[(tag: Int, margin: Float)]] {
        secondPassEmissions(document).map { emissions in
            let tags = second.decode(emissions: emissions)
            let marginals = ViterbiDecoder.maxMarginals(emissions: emissions, transitions: second.transitions, tagCount: Self.tagCount)
            return tags.enumerated().map { position, tag in
                let scores = marginals[(position * Self.tagCount)..<((position + 1) * Self.tagCount)]
                let other = scores.indices.filter { $0 != position * Self.tagCount + tag }.map { scores[$0] }.max() ?? -.infinity
                return (tag, min(scores[position * Self.tagCount + tag] - other, 1000))
            }
        }
    }

    /// The tags of one sentence taken as a whole document.
    public func tag(_ tokens: [String]) -> [Int] {
        tag(document: [tokens])[0]
    }

    /// What each folded word (and stem), by hash, was tagged as in a document, by majority (a BIO tag).
    static func knownTags(views: [[EntityFeatures.TokenView]], tags: [[Int]]) -> HashKeyedMap<Int> {
        var votes = HashKeyedMap<[Int]>()
        var keys: [UInt64] = []
        func vote(_ key: UInt64, _ tag: Int) {
            var counts = votes[key] ?? {
                keys.append(key)
                return Array(repeating: 0, count: EntityTagSet.count)
            }()
            counts[tag] += 1
            votes[key] = counts
        }
        for (sentence, sentenceTags) in zip(views, tags) {
            for (view, tag) in zip(sentence, sentenceTags) where tag != EntityTagSet.outside {
                // Short function words inside names ("بن", "عبد") say little on their own.
                guard view.stem.unicodeScalars.count >= 3 else { continue }
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
    public func serialized() -> [UInt8] {
        var bytes = Self.magic
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func append(_ string: String) {
            let utf8 = Array(string.utf8)
            append(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        append(UInt32(Self.tagCount))
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

    /// Reads a model.
    /// - Throws: ``EntityModelError`` when the bytes are not a model.
    public init(bytes: [UInt8]) throws {
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
        guard Array(try take(8)) == Self.magic else { throw EntityModelError(.malformed, "not a siftd entity model") }
        guard Int(try integer(UInt32.self)) == Self.tagCount else { throw EntityModelError(.malformed, "the model has another tag set") }
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
        var stages: [EntityStage] = []
        for _ in 0..<2 {
            let featureCount = Int(try integer(UInt32.self))
            guard featureCount <= (bytes.count - position) / 8 else { throw EntityModelError(.malformed, "truncated entity model") }
            // Written in increasing order: anything else is damage (and would repeat a feature).
            var features: [UInt64] = []
            features.reserveCapacity(featureCount)
            for _ in 0..<featureCount {
                let feature = try integer(UInt64.self)
                guard features.last.map({ $0 < feature }) ?? true else { throw EntityModelError(.malformed, "features out of order in the entity model") }
                features.append(feature)
            }
            var weights: [Float] = []
            weights.reserveCapacity(featureCount * Self.tagCount)
            for _ in 0..<(featureCount * Self.tagCount) { weights.append(Float(Float16(bitPattern: try integer(UInt16.self)))) }
            var transitions: [Float] = []
            for _ in 0..<((Self.tagCount + 1) * Self.tagCount) { transitions.append(Float(bitPattern: try integer(UInt32.self))) }
            stages.append(EntityStage(features: features, weights: weights, transitions: transitions))
        }
        guard position == bytes.count else { throw EntityModelError(.malformed, "trailing bytes after the entity model") }
        self.init(features: EntityFeatures(lexicon: lexicon, wordClasses: classes), first: stages[0], second: stages[1])
    }

    /// Reads a model file.
    public init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EntityModelError(
                FileManager.default.fileExists(atPath: url.path) ? .unreadable : .notFound, "cannot read the entity model \(url.path)")
        }
        do {
            try self.init(bytes: Array(data))
        } catch let error as EntityModelError {
            throw EntityModelError(error.code, "\(url.path): \(error.message)")
        }
    }
}
