import Foundation

/// Identifies the language of a text with a ``LanguageModel``.
public struct LanguageDetector: Sendable {
    /// One candidate language.
    public struct Candidate: Sendable, Equatable {
        /// ISO 639-1 code.
        public var code: String
        /// Probability among the model's languages.
        public var score: Double
    }

    /// The verdict on a text.
    public struct Guess: Sendable, Equatable {
        /// ISO 639-1 code, or `und` when the text is too short or no language is reliable.
        public var code: String
        /// Confidence in `code` (0 for `und`).
        public var confidence: Double
        /// The three best candidates.
        public var candidates: [Candidate]
        /// How many words were read before the verdict was clear.
        public var wordsRead: Int

        /// The verdict when nothing can be said.
        public static let undetermined = Guess(code: "und", confidence: 0, candidates: [], wordsRead: 0)
    }

    /// The model.
    public let model: LanguageModel
    /// How much the whole word counts against one n-gram: a word's own frequency is the
    /// strongest evidence for short texts, so a known word outweighs its n-grams.
    public var wordWeight: Int32
    /// Reading stops after this many words (`nil`: the whole text); long documents are judged
    /// paragraph by paragraph, and a paragraph's first hundreds of words say enough.
    public var maximumWords: Int?

    private let codes: [String]  // distinct codes
    private let codeOfClass: [Int]  // class → index into codes
    // Small enough for the stack (temporary allocations up to 1 KiB never touch the heap).
    private static let batchCapacity = 256
    /// Below this share (%) of its letter triples listed by the best language, a text is noise:
    /// low enough that real text, even a word or two, nearly always passes; high enough to catch
    /// keyboard mash.
    static let trigramCoverage: Int32 = 40
    private static let coverageExempt: UInt8 = 0x80

    /// Creates a detector.
    public init(model: LanguageModel, wordWeight: Int32 = 8, maximumWords: Int? = nil) {
        self.model = model
        self.wordWeight = wordWeight
        self.maximumWords = maximumWords
        var codes: [String] = []
        var codeOfClass: [Int] = []
        for code in model.languages {
            if let index = codes.firstIndex(of: code) {
                codeOfClass.append(index)
            } else {
                codeOfClass.append(codes.count)
                codes.append(code)
            }
        }
        self.codes = codes
        self.codeOfClass = codeOfClass
    }

    /// Running sums over the features read so far.
    private struct Tally {
        var scores: UnsafeMutableBufferPointer<Int32>
        /// Per language, the letters (first half) and letter triples (second half) it lists.
        var covered: UnsafeMutableBufferPointer<Int32>
        var featureCounts: UnsafeMutableBufferPointer<Int32>
        /// Per kind, the features counted for coverage.
        var checkedFeatures: UnsafeMutableBufferPointer<Int32>
    }

    /// What the words of a text say, before the verdict: sums that add up, so that the evidence
    /// of a text is the sum of its parts' (a document's is its paragraphs').
    public struct Evidence: Sendable, Equatable {
        var scores: [Int32]
        var covered: [Int32]
        var featureCounts: [Int32]
        var checkedFeatures: [Int32]
        /// The words read.
        public private(set) var words = 0

        /// No evidence, for a model of `languageCount` languages.
        init(languageCount: Int) {
            scores = Array(repeating: 0, count: languageCount)
            covered = Array(repeating: 0, count: 2 * languageCount)
            featureCounts = Array(repeating: 0, count: LanguageFeatures.kinds.count)
            checkedFeatures = featureCounts
        }

        fileprivate init(scores: [Int32], covered: [Int32], featureCounts: [Int32], checkedFeatures: [Int32], words: Int) {
            self.scores = scores
            self.covered = covered
            self.featureCounts = featureCounts
            self.checkedFeatures = checkedFeatures
            self.words = words
        }

        /// Adds another text's evidence (of the same model).
        public mutating func add(_ other: Evidence) {
            for index in scores.indices { scores[index] &+= other.scores[index] }
            for index in covered.indices { covered[index] &+= other.covered[index] }
            for index in featureCounts.indices { featureCounts[index] &+= other.featureCounts[index] }
            for index in checkedFeatures.indices { checkedFeatures[index] &+= other.checkedFeatures[index] }
            words += other.words
        }
    }

    private static func snapshot(_ tally: Tally, words: Int) -> Evidence {
        Evidence(
            scores: Array(tally.scores), covered: Array(tally.covered), featureCounts: Array(tally.featureCounts),
            checkedFeatures: Array(tally.checkedFeatures), words: words)
    }

    /// No evidence yet: what ``Evidence/add(_:)`` starts from.
    public var noEvidence: Evidence { Evidence(languageCount: model.languages.count) }

    /// The language of `text` (its first ``maximumWords`` words).
    public func detect(_ text: String) -> Guess {
        guess(from: evidence(of: text, upTo: [maximumWords])[0])
    }

    /// The evidence of `text`'s first words, as many as each limit says (`nil`: all of them),
    /// from one reading (which stops at the greatest limit).
    public func evidence(of text: String, upTo limits: [Int?]) -> [Evidence] {
        let languageCount = model.languages.count
        let kindCount = LanguageFeatures.kinds.count
        let batch = Self.batchCapacity
        let last = limits.contains(nil) ? nil : limits.compactMap { $0 }.max()
        // Nothing is read for a limit of 0.
        var snapshots: [Evidence?] = limits.map { $0 == 0 ? noEvidence : nil }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * languageCount + 2 * kindCount) { memory in
            memory.initialize(repeating: 0)
            var tally = Tally(
                scores: UnsafeMutableBufferPointer(rebasing: memory[0..<languageCount]),
                covered: UnsafeMutableBufferPointer(rebasing: memory[languageCount..<(3 * languageCount)]),
                featureCounts: UnsafeMutableBufferPointer(rebasing: memory[(3 * languageCount)..<(3 * languageCount + kindCount)]),
                checkedFeatures: UnsafeMutableBufferPointer(rebasing: memory[(3 * languageCount + kindCount)...]))
            var words = 0
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: batch) { hashes in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: batch) { kinds in
                    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: batch) { offsets in
                        model.slots.withUnsafeBufferPointer { slots in
                            model.postings.withUnsafeBufferPointer { postings in
                                var pending = 0
                                LanguageFeatures.forEachWord(in: text, table: model.scalars) { word in
                                    // A word has fewer than 3 * (length + 2) + 1 features.
                                    if pending + 3 * word.count + 7 > batch {
                                        score(pending, hashes: hashes, kinds: kinds, offsets: offsets, slots: slots, postings: postings, into: &tally)
                                        pending = 0
                                    }
                                    // Ideographs and syllabaries have thousands of characters: few of their triples are
                                    // listed, so they do not count towards coverage.
                                    let exempt: UInt8 = word.contains { $0 >= 0x2E80 } ? Self.coverageExempt : 0
                                    LanguageFeatures.forEachFeature(of: word) { hash, kind in
                                        hashes[pending] = hash
                                        kinds[pending] = UInt8(kind) | exempt
                                        pending += 1
                                    }
                                    words += 1
                                    if limits.contains(words) {
                                        score(pending, hashes: hashes, kinds: kinds, offsets: offsets, slots: slots, postings: postings, into: &tally)
                                        pending = 0
                                        for (index, limit) in limits.enumerated() where limit == words {
                                            snapshots[index] = Self.snapshot(tally, words: words)
                                        }
                                    }
                                    return last.map { words < $0 } ?? true
                                }
                                score(pending, hashes: hashes, kinds: kinds, offsets: offsets, slots: slots, postings: postings, into: &tally)
                            }
                        }
                    }
                }
            }
            let whole = Self.snapshot(tally, words: words)
            for index in snapshots.indices where snapshots[index] == nil { snapshots[index] = whole }
        }
        return snapshots.map { $0! }
    }

    /// The verdict on the evidence of a text.
    public func guess(from evidence: Evidence) -> Guess {
        let languageCount = model.languages.count
        guard evidence.words > 0 else { return .undetermined }
        let totals = computeTotals(scores: evidence.scores, featureCounts: evidence.featureCounts)
        var best = 0
        for language in 1..<languageCount where totals[language] > totals[best] { best = language }
        // Noise and random letters: letters the best language hardly uses, or letter triples it
        // does not list (random Latin letters are all common letters, but rarely common triples).
        // In Int: a document of a million words counts tens of millions of features.
        if Int(evidence.covered[best]) * 10 < Int(evidence.checkedFeatures[1]) * 6
            || Int(evidence.covered[languageCount + best]) * 100 < Int(evidence.checkedFeatures[3]) * Int(Self.trigramCoverage)
        {
            return .undetermined
        }
        let features = evidence.featureCounts.reduce(0) { $0 + Int($1) }
        // Naive Bayes is overconfident on long texts: temper the scores by the amount of evidence.
        let temperature = 1 + Double(features).squareRoot() / 2
        let scale = Double(LanguageModel.step) / temperature
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: codes.count) { byCode in
            byCode.initialize(repeating: 0)
            var sum = 0.0
            for language in 0..<languageCount {
                let probability = exp(Double(totals[language] - totals[best]) * scale)
                byCode[codeOfClass[language]] += probability
                sum += probability
            }
            var candidates: [Candidate] = []
            candidates.reserveCapacity(3)
            for _ in 0..<min(3, codes.count) {
                var top = -1
                for index in byCode.indices where byCode[index] >= 0 && (top < 0 || byCode[index] > byCode[top]) { top = index }
                candidates.append(Candidate(code: codes[top], score: (byCode[top] / sum * 10_000).rounded() / 10_000))
                byCode[top] = -1
            }
            return Guess(code: candidates[0].code, confidence: candidates[0].score, candidates: candidates, wordsRead: evidence.words)
        }
    }

    /// Looks up a batch of features and adds their gains.
    ///
    /// The model is far bigger than the caches: the table slots of the whole batch are read
    /// first, then the postings heads, each in a loop of independent loads, so that the memory
    /// waits overlap instead of following one another.
    @inline(__always)
    private func score(
        _ count: Int, hashes: UnsafeMutableBufferPointer<UInt32>, kinds: UnsafeMutableBufferPointer<UInt8>,
        offsets: UnsafeMutableBufferPointer<UInt32>, slots: UnsafeBufferPointer<UInt64>, postings: UnsafeBufferPointer<UInt8>,
        into tally: inout Tally
    ) {
        let capacity = slots.count
        let languageCount = tally.scores.count
        var touched: UInt64 = 0
        for index in 0..<count {
            touched &+= slots[LanguageModel.slot(for: hashes[index], capacity: capacity)]
        }
        // Postings offset 0 is the empty list no feature has: 0 stands for "not in the model".
        for index in 0..<count {
            let value = LanguageModel.lookup(hashes[index], slots: slots) ?? 0
            offsets[index] = value
            touched &+= UInt64(postings[value & LanguageModel.inlineFlag == 0 ? Int(value) : 0])
        }
        withExtendedLifetime(touched) {}
        for index in 0..<count {
            let kind = Int(kinds[index] & ~Self.coverageExempt)
            tally.featureCounts[kind] &+= 1
            // Coverage is counted for letters and letter triples.
            let isShort = (kind == 1 || kind == 3) && kinds[index] & Self.coverageExempt == 0
            if isShort { tally.checkedFeatures[kind] &+= 1 }
            let coverage = kind == 1 ? tally.covered.baseAddress! : tally.covered.baseAddress! + languageCount
            let value = offsets[index]
            guard value != 0 else { continue }
            let weight: Int32 = kind == 0 ? wordWeight : 1
            if value & LanguageModel.inlineFlag != 0 {
                tally.scores[Int(value & 63)] &+= weight &* Int32(value >> 6 & 0xFF)
                if isShort { coverage[Int(value & 63)] &+= 1 }
                if value & LanguageModel.inlineSecond != 0 {
                    tally.scores[Int(value >> 14 & 63)] &+= weight &* Int32(value >> 20 & 0xFF)
                    if isShort { coverage[Int(value >> 14 & 63)] &+= 1 }
                }
                continue
            }
            let offset = Int(value)
            let header = postings[offset]
            if header == LanguageModel.denseMarker {
                // Branch-free loops over one gain per language: the compiler vectorises them.
                let gains = postings.baseAddress! + offset + 1
                let scores = tally.scores.baseAddress!
                for language in 0..<languageCount {
                    scores[language] &+= weight &* Int32(gains[language])
                }
                if isShort {
                    for language in 0..<languageCount {
                        coverage[language] &+= gains[language] == 0 ? 0 : 1
                    }
                }
            } else {
                for entry in 0..<Int(header) {
                    let language = Int(postings[offset + 1 + 2 * entry])
                    tally.scores[language] &+= weight &* Int32(postings[offset + 2 + 2 * entry])
                    if isShort { coverage[language] &+= 1 }
                }
            }
        }
    }

    /// Scores with the cost of every feature a language does not list.
    private func computeTotals(scores: [Int32], featureCounts: [Int32]) -> [Int32] {
        let languageCount = scores.count
        return model.floorCosts.withUnsafeBufferPointer { floors in
            (0..<languageCount).map { language in
                var total = scores[language]
                for kind in 0..<featureCounts.count {
                    let weight: Int32 = kind == 0 ? wordWeight : 1
                    total &-= weight &* featureCounts[kind] &* floors[kind * languageCount + language]
                }
                return total
            }
        }
    }
}
