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
    /// What the words read so far added, shared by copies of the detector.
    let wordCache: WordEvidenceCache
    /// Below this share (%) of its letter triples listed by the best language, a text is noise:
    /// low enough that real text, even a word or two, nearly always passes; high enough to catch
    /// keyboard mash.
    static let trigramCoverage: Int32 = 40
    private static let coverageExempt: UInt8 = 0x80

    /// Creates a detector; it keeps what up to `wordCacheCapacity` words add to the evidence
    /// (see ``WordEvidenceCache``).
    public init(model: LanguageModel, wordWeight: Int32 = 8, maximumWords: Int? = nil, wordCacheCapacity: Int = 16_384) {
        self.model = model
        wordCache = WordEvidenceCache(capacity: wordCacheCapacity, languageCount: model.languages.count)
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

        init(scores: [Int32], covered: [Int32], featureCounts: [Int32], checkedFeatures: [Int32], words: Int) {
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
            let scratchBytes = WordBlock.byteCount + ScoringBuffers.byteCount(languageCount: languageCount)
            withUnsafeTemporaryAllocation(byteCount: scratchBytes, alignment: MemoryLayout<UInt64>.alignment) { scratch in
                var block = WordBlock(memory: scratch.baseAddress!)
                let buffers = ScoringBuffers(memory: scratch.baseAddress! + WordBlock.byteCount, languageCount: languageCount)
                LanguageFeatures.forEachWord(in: text, table: model.scalars) { word in
                    block.append(word)
                    words += 1
                    let atLimit = limits.contains(words)
                    if block.isFull || atLimit { read(&block, buffers: buffers, into: &tally) }
                    if atLimit {
                        for (index, limit) in limits.enumerated() where limit == words {
                            snapshots[index] = Self.snapshot(tally, words: words)
                        }
                    }
                    return last.map { words < $0 } ?? true
                }
                read(&block, buffers: buffers, into: &tally)
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

    /// Adds the words of `block` to `tally` and empties it: the words the cache knows from their
    /// shares, the others from their features, which the cache then keeps.
    private func read(_ block: inout WordBlock, buffers: ScoringBuffers, into tally: inout Tally) {
        guard block.count > 0 else { return }
        // What a word counts of each kind follows from its letters: all of them (but a stray
        // boundary mark), one triple per letter, one quadruple per letter but one, the word.
        for index in 0..<block.count {
            let word = block.word(index)
            var letters: Int32 = 0
            var exempt = false
            for letter in word {
                if letter != LanguageFeatures.boundaryMark { letters += 1 }
                // Ideographs and syllabaries have thousands of characters: few of their triples
                // are listed, so they do not count towards coverage.
                if letter >= 0x2E80 { exempt = true }
            }
            tally.featureCounts[0] &+= 1
            tally.featureCounts[1] &+= letters
            tally.featureCounts[3] &+= Int32(word.count)
            tally.featureCounts[4] &+= Int32(max(word.count - 1, 0))
            if !exempt {
                tally.checkedFeatures[1] &+= letters
                tally.checkedFeatures[3] &+= Int32(word.count)
            }
        }
        wordCache.lookUp(&block) { add($0, into: &tally) }
        var rank = 0
        while rank < block.missingCount {
            // A batch of unknown words, as many as the buffers hold.
            let first = rank
            var features = 0
            while rank < block.missingCount, rank - first < ScoringBuffers.wordCapacity {
                let word = block.word(block.missingWord(rank))
                // A word has fewer than 3 * (length + 2) + 1 features.
                guard features + 3 * word.count + 7 <= ScoringBuffers.featureCapacity else { break }
                let exempt: UInt8 = word.contains { $0 >= 0x2E80 } ? Self.coverageExempt : 0
                let row = UInt8(rank - first)
                LanguageFeatures.forEachFeature(of: word) { hash, kind in
                    buffers.hashes[features] = hash
                    buffers.kinds[features] = UInt8(kind) | exempt
                    buffers.rows[features] = row
                    features += 1
                }
                rank += 1
            }
            let wordCount = rank - first
            let rowWidth = 4 * model.languages.count
            buffers.gains.initialize(repeating: 0, count: wordCount * rowWidth)
            score(features, buffers: buffers)
            var shareCount = 0
            for row in 0..<wordCount {
                let start = shareCount
                shareCount += share(buffers.gains + row * rowWidth, into: buffers.shares + shareCount)
                buffers.shareEnds[row] = Int32(shareCount)
                add(UnsafeBufferPointer(start: buffers.shares + start, count: shareCount - start), into: &tally)
            }
            wordCache.store(block, ranks: first..<rank, shares: buffers.shares, shareEnds: buffers.shareEnds)
        }
        block.removeAll()
    }

    /// Adds the shares of a word to `tally`.
    @inline(__always)
    private func add(_ shares: UnsafeBufferPointer<UInt64>, into tally: inout Tally) {
        let languageCount = tally.scores.count
        let scores = tally.scores.baseAddress!
        let covered = tally.covered.baseAddress!
        for bits in shares {
            let share = WordEvidenceCache.Share(bits: bits)
            let language = share.language
            scores[language] &+= share.ngramGain &+ wordWeight &* share.wordGain
            covered[language] &+= share.letters
            covered[languageCount + language] &+= share.trigrams
        }
    }

    /// Writes the shares of one word's row of gains (``ScoringBuffers/gains``) to `shares`;
    /// returns how many.
    @inline(__always)
    private func share(_ row: UnsafeMutablePointer<Int32>, into shares: UnsafeMutablePointer<UInt64>) -> Int {
        let languageCount = model.languages.count
        var count = 0
        for language in 0..<languageCount {
            let ngram = row[language]
            let word = row[languageCount + language]
            let letters = row[2 * languageCount + language]
            let trigrams = row[3 * languageCount + language]
            guard ngram | word | letters | trigrams != 0 else { continue }
            shares[count] =
                WordEvidenceCache.Share(language: language, wordGain: word, letters: letters, trigrams: trigrams, ngramGain: ngram).bits
            count += 1
        }
        return count
    }

    /// Looks up a batch of features and adds their gains to their words' rows.
    ///
    /// The model is far bigger than the caches: the table slots of the whole batch are read
    /// first, then the postings heads, each in a loop of independent loads, so that the memory
    /// waits overlap instead of following one another.
    @inline(__always)
    private func score(_ count: Int, buffers: ScoringBuffers) {
        let hashes = buffers.hashes
        let offsets = buffers.offsets
        model.slots.withUnsafeBufferPointer { slots in
            model.postings.withUnsafeBufferPointer { postings in
                let capacity = slots.count
                let languageCount = model.languages.count
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
                    let value = offsets[index]
                    guard value != 0 else { continue }
                    let kind = Int(buffers.kinds[index] & ~Self.coverageExempt)
                    // Coverage is counted for letters and letter triples.
                    let isShort = (kind == 1 || kind == 3) && buffers.kinds[index] & Self.coverageExempt == 0
                    let row = buffers.gains + Int(buffers.rows[index]) * 4 * languageCount
                    let gains = kind == 0 ? row + languageCount : row
                    let coverage = kind == 1 ? row + 2 * languageCount : row + 3 * languageCount
                    if value & LanguageModel.inlineFlag != 0 {
                        gains[Int(value & 63)] &+= Int32(value >> 6 & 0xFF)
                        if isShort { coverage[Int(value & 63)] &+= 1 }
                        if value & LanguageModel.inlineSecond != 0 {
                            gains[Int(value >> 14 & 63)] &+= Int32(value >> 20 & 0xFF)
                            if isShort { coverage[Int(value >> 14 & 63)] &+= 1 }
                        }
                        continue
                    }
                    let offset = Int(value)
                    let header = postings[offset]
                    if header == LanguageModel.denseMarker {
                        // Branch-free loops over one gain per language: the compiler vectorises them.
                        let listed = postings.baseAddress! + offset + 1
                        for language in 0..<languageCount {
                            gains[language] &+= Int32(listed[language])
                        }
                        if isShort {
                            for language in 0..<languageCount {
                                coverage[language] &+= listed[language] == 0 ? 0 : 1
                            }
                        }
                    } else {
                        for entry in 0..<Int(header) {
                            let language = Int(postings[offset + 1 + 2 * entry])
                            gains[language] &+= Int32(postings[offset + 2 + 2 * entry])
                            if isShort { coverage[language] &+= 1 }
                        }
                    }
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
