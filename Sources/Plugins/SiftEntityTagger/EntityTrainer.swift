/// Trains an ``EntityModel`` over the tagger's features, decoding with Viterbi: a conditional
/// random field (``ConditionalRandomFieldTrainer``), or an averaged structured perceptron — for
/// each sentence tagged wrongly, the gold tags' features gain and the predicted tags' lose; the
/// averaged weights generalise better than the last ones.
///
/// Two passes are trained. The second pass's document features must look at training time as
/// they will when tagging — the first pass's output, mistakes included — so they come from
/// first passes trained without the document in question (five folds over the documents).
public struct EntityTrainer: Sendable {
    /// Training settings.
    public struct Settings: Sendable {
        /// How each pass's weights are learned.
        public enum Algorithm: String, Sendable, CaseIterable {
            /// The averaged structured perceptron.
            case perceptron
            /// A conditional random field (L2-penalised likelihood, L-BFGS).
            case crf
        }

        /// How each pass's weights are learned.
        public var algorithm = Algorithm.perceptron
        /// The conditional random field's L2 penalty.
        public var l2 = 1.0
        /// The conditional random field's L-BFGS iterations at most.
        public var iterations = 150
        /// Passes over the training sentences (perceptron).
        public var epochs = 12
        /// Seed of the order in which sentences are visited (training is deterministic).
        public var seed: UInt64 = 1
        /// Features whose averaged weights all stay below this are dropped from the model.
        public var pruneBelow: Float = 1e-4
        /// Folds for the first-pass output the second pass learns from.
        public var folds = 5
        /// Training text without document boundaries is read as documents of this many
        /// consecutive sentences.
        public var documentSentences = 20
        public init() {}
    }

    /// The feature extractor.
    public let features: EntityFeatures
    /// The settings.
    public var settings: Settings

    /// Creates a trainer.
    public init(features: EntityFeatures, settings: Settings = Settings()) {
        self.features = features
        self.settings = settings
    }

    /// Consecutive sentences grouped as documents, for text without document boundaries.
    public static func documents(count: Int, size: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: max(size, 1)).map { $0..<min($0 + max(size, 1), count) }
    }

    /// Consecutive sentences of one corpus grouped as documents: runs of at most `size`, cut
    /// where the corpus (`domains[i]`, the corpus of sentence `i`) changes.
    public static func documents(domains: [Int], size: Int) -> [Range<Int>] {
        var documents: [Range<Int>] = []
        var start = 0
        while start < domains.count {
            var end = start + 1
            while end < domains.count, end - start < max(size, 1), domains[end] == domains[start] { end += 1 }
            documents.append(start..<end)
            start = end
        }
        return documents
    }

    /// A feature's copy for one corpus, in feature augmentation (Daumé III, "Frustratingly easy
    /// domain adaptation", 2007): every feature of a sentence is also given as its copy for the
    /// sentence's corpus, so that what the corpora agree on is learned by the shared feature and
    /// where they annotate differently each corpus's copy takes the difference.
    static func domainFeature(_ feature: UInt64, domain: Int) -> UInt64 {
        EntityFeatures.mix(feature ^ (0xD0_3A11 &+ UInt64(domain) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// Trains on `sentences` (documents of ``Settings/documentSentences`` consecutive sentences);
    /// `progress` hears about each pass.
    ///
    /// With `domains` (the corpus of each sentence: 0 the corpus of the text the model will tag,
    /// news; others such as Wikipedia), the features are augmented per corpus
    /// (``domainFeature(_:domain:)``), and the model is the augmented one as it reads corpus 0:
    /// each shared feature's weights plus those of its copy for corpus 0, the other copies left
    /// out. So it tags as the augmented model tags news, with no more features than one trained
    /// on one corpus. Without `domains`, or with one corpus, nothing is augmented.
    public func train(_ sentences: [LabeledSentence], domains: [Int] = [], progress: ((_ message: String) -> Void)? = nil) async -> EntityModel {
        precondition(domains.isEmpty || domains.count == sentences.count, "one domain per sentence")
        let adapting = Set(domains).count > 1
        let documents =
            adapting
            ? Self.documents(domains: domains, size: settings.documentSentences)
            : Self.documents(count: sentences.count, size: settings.documentSentences)
        var views: [[EntityFeatures.TokenView]] = []
        var shared: [[[UInt64]]] = []
        for document in documents {
            let analysed = features.features(ofDocument: document.map { sentences[$0].tokens })
            views += analysed.views
            shared += analysed.features
        }
        // The features as trained on: with their corpus's copies when adapting.
        func augmented(_ lists: [[UInt64]], _ index: Int) -> [[UInt64]] {
            guard adapting else { return lists }
            return lists.map { list in list + list.map { Self.domainFeature($0, domain: domains[index]) } }
        }
        let plain = shared.indices.map { augmented(shared[$0], $0) }
        progress?("first pass")
        var first = await trainStage(sentences, plain, pruning: !adapting, progress: progress)
        // The first pass's output on each document, from a model that did not train on it.
        var firstTags = [[Int]](repeating: [], count: sentences.count)
        let folds = max(settings.folds, 2)
        for fold in 0..<folds {
            let heldOut = documents.indices.filter { $0 % folds == fold }.flatMap { Array(documents[$0]) }
            let heldOutSet = Set(heldOut)
            let trainIndices = sentences.indices.filter { !heldOutSet.contains($0) }
            progress?("first pass for fold \(fold + 1) of \(folds)")
            let stage = await trainStage(trainIndices.map { sentences[$0] }, trainIndices.map { plain[$0] }, progress: nil)
            let rows = stage.rows()
            for index in heldOut { firstTags[index] = stage.decode(plain[index], rows: rows) }
        }
        var informedShared: [[[UInt64]]] = Array(repeating: [], count: sentences.count)
        for document in documents {
            let known = EntityModel.knownTags(views: document.map { views[$0] }, tags: document.map { firstTags[$0] })
            for index in document {
                informedShared[index] = zip(shared[index], features.knownFeatures(of: views[index], known: known)).map { $0 + $1 }
            }
        }
        let informed = informedShared.indices.map { augmented(informedShared[$0], $0) }
        progress?("second pass")
        var second = await trainStage(sentences, informed, pruning: !adapting, progress: progress)
        if adapting {
            // Every feature a pass's copy can be of: the shared features of the sentences.
            var sharedFeatures = Set<UInt64>()
            for lists in informedShared { for list in lists { for feature in list { sharedFeatures.insert(feature) } } }
            first = Self.projected(first, onto: 0, shared: sharedFeatures, pruneBelow: settings.pruneBelow)
            second = Self.projected(second, onto: 0, shared: sharedFeatures, pruneBelow: settings.pruneBelow)
            progress?("  \(first.features.count) and \(second.features.count) features as the model reads corpus 0")
        }
        return EntityModel(features: features, first: first, second: second, algorithm: settings.algorithm)
    }

    /// An augmented pass as it reads one corpus: each shared feature's weights plus those of its
    /// copy for `domain` (``domainFeature(_:domain:)``), in increasing order of feature; the
    /// corpora's copies left out, and the features whose weights then all stay within
    /// `pruneBelow`. (The pass must be unpruned: a shared feature's weight and its copy's may
    /// each be small and their sum not.)
    static func projected(_ stage: EntityStage, onto domain: Int, shared: Set<UInt64>, pruneBelow: Float) -> EntityStage {
        let tagCount = EntityModel.tagCount
        let rows = stage.rows()
        var features: [UInt64] = []
        var weights: [Float] = []
        for feature in shared.sorted() {
            var values = [Float](repeating: 0, count: tagCount)
            var present = false
            for row in [rows[feature], rows[domainFeature(feature, domain: domain)]].compactMap({ $0.map(Int.init) }) {
                present = true
                for tag in 0..<tagCount { values[tag] += stage.weights[row * tagCount + tag] }
            }
            guard present, values.contains(where: { abs($0) > pruneBelow }) else { continue }
            features.append(feature)
            weights += values
        }
        return EntityStage(features: features, weights: weights, transitions: stage.transitions)
    }

    /// One pass over given features: the perceptron, or the conditional random field.
    func trainStage(
        _ sentences: [LabeledSentence], _ featureLists: [[[UInt64]]], pruning: Bool = true, progress: ((String) -> Void)?
    ) async -> EntityStage {
        let tagCount = EntityModel.tagCount
        var rows: [UInt64: Int32] = [:]
        // Features as row numbers, computed once.
        let encoded: [[[Int32]]] = featureLists.map { sentence in
            sentence.map { tokenFeatures in
                tokenFeatures.map { feature in
                    if let row = rows[feature] { return row }
                    let row = Int32(rows.count)
                    rows[feature] = row
                    return row
                }
            }
        }
        let learned: (weights: [Float], transitions: [Float])
        if settings.algorithm == .crf {
            var trainer = ConditionalRandomFieldTrainer(l2: settings.l2)
            trainer.minimizer.iterations = settings.iterations
            learned = await trainer.train(encoded, tags: sentences.map(\.tags), rowCount: rows.count, progress: progress)
        } else {
            learned = perceptron(sentences, encoded, rowCount: rows.count, progress: progress)
        }
        var kept: [UInt64] = []
        var weights: [Float] = []
        for (feature, row) in rows.sorted(by: { $0.value < $1.value }) {
            let values = learned.weights[(Int(row) * tagCount)..<((Int(row) + 1) * tagCount)]
            guard !pruning || values.contains(where: { abs($0) > settings.pruneBelow }) else { continue }
            kept.append(feature)
            weights.append(contentsOf: values)
        }
        progress?("  \(kept.count) of \(rows.count) features kept")
        return EntityStage(features: kept, weights: weights, transitions: learned.transitions)
    }

    /// The averaged perceptron's weights (`rowCount` rows) and transitions, visiting the
    /// sentences in the order ``Settings/seed`` gives.
    func perceptron(
        _ sentences: [LabeledSentence], _ encoded: [[[Int32]]], rowCount: Int, progress: ((String) -> Void)?
    ) -> (weights: [Float], transitions: [Float]) {
        let tagCount = EntityModel.tagCount
        var weights = [Float](repeating: 0, count: rowCount * tagCount)
        var totals = [Float](repeating: 0, count: rowCount * tagCount)
        var transitions = [Float](repeating: 0, count: (tagCount + 1) * tagCount)
        var transitionTotals = transitions
        var step: Float = 1
        var random = SplitMix64(seed: settings.seed)
        var order = Array(sentences.indices)

        for epoch in 1...max(settings.epochs, 1) {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(random.next() % UInt64(index + 1)))
            }
            var mistakes = 0
            for sentenceIndex in order {
                let sentence = encoded[sentenceIndex]
                let gold = sentences[sentenceIndex].tags
                var emissions = [Float](repeating: 0, count: sentence.count * tagCount)
                for (position, tokenRows) in sentence.enumerated() {
                    for row in tokenRows {
                        for tag in 0..<tagCount { emissions[position * tagCount + tag] += weights[Int(row) * tagCount + tag] }
                    }
                }
                let predicted = ViterbiDecoder.decode(emissions: emissions, transitions: transitions, tagCount: tagCount)
                if predicted != gold {
                    mistakes += 1
                    for position in sentence.indices {
                        let goldPrevious = position == 0 ? tagCount : gold[position - 1]
                        let predictedPrevious = position == 0 ? tagCount : predicted[position - 1]
                        if gold[position] != predicted[position] {
                            for row in sentence[position] {
                                weights[Int(row) * tagCount + gold[position]] += 1
                                totals[Int(row) * tagCount + gold[position]] += step
                                weights[Int(row) * tagCount + predicted[position]] -= 1
                                totals[Int(row) * tagCount + predicted[position]] -= step
                            }
                        }
                        if gold[position] != predicted[position] || goldPrevious != predictedPrevious {
                            transitions[goldPrevious * tagCount + gold[position]] += 1
                            transitionTotals[goldPrevious * tagCount + gold[position]] += step
                            transitions[predictedPrevious * tagCount + predicted[position]] -= 1
                            transitionTotals[predictedPrevious * tagCount + predicted[position]] -= step
                        }
                    }
                }
                step += 1
            }
            progress?("  epoch \(epoch): \(mistakes) of \(sentences.count) sentences tagged wrongly")
        }

        // Averaging: the mean of the weights over all steps is w - totals / step.
        return (weights.indices.map { weights[$0] - totals[$0] / step }, transitions.indices.map { transitions[$0] - transitionTotals[$0] / step })
    }
}

/// A small, fast, seedable random number generator (SplitMix64), for reproducible training.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
