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
    }

    /// The model.
    public let model: LanguageModel
    /// How much the whole word counts against one n-gram: a word's own frequency is the
    /// strongest evidence for short texts (8 was best on the development lines).
    public var wordWeight: Float

    /// Creates a detector.
    public init(model: LanguageModel, wordWeight: Float = 8) {
        self.model = model
        self.wordWeight = wordWeight
    }

    /// The language of `text`.
    public func detect(_ text: String) -> Guess {
        detect(words: LanguageFeatures.words(of: text))
    }

    /// The language of already extracted words.
    public func detect(words: [[Unicode.Scalar]]) -> Guess {
        let languageCount = model.languages.count
        guard !words.isEmpty, languageCount > 0 else { return Guess(code: "und", confidence: 0, candidates: []) }
        var featureCounts = [Int](repeating: 0, count: LanguageFeatures.kinds.count)
        var scores = [Float](repeating: 0, count: languageCount)
        var covered = [Int](repeating: 0, count: languageCount)
        var features = 0
        var shortFeatures = 0
        model.keys.withUnsafeBufferPointer { keys in
        model.offsets.withUnsafeBufferPointer { offsets in
        scores.withUnsafeMutableBufferPointer { scores in
        covered.withUnsafeMutableBufferPointer { covered in
        model.postings.withUnsafeBufferPointer { postings in
            model.floors.withUnsafeBufferPointer { floors in
                for word in words {
                    LanguageFeatures.forEachFeature(of: word) { hash, kind in
                        featureCounts[kind] += 1
                        features += 1
                        let isShort = kind == 1 || kind == 2
                        if isShort { shortFeatures += 1 }
                        guard let offset = LanguageModel.lookup(hash, keys: keys, offsets: offsets) else { return }
                        let count = Int(postings[offset])
                        let floorBase = kind * languageCount
                        let weight: Float = kind == 0 ? wordWeight : 1
                        for entry in 0..<count {
                            let language = Int(postings[offset + 1 + 2 * entry])
                            let logProbability = -Float(postings[offset + 2 + 2 * entry]) * LanguageModel.step
                            scores[language] += weight * (logProbability - floors[floorBase + language])
                            if isShort { covered[language] += 1 }
                        }
                    }
                }
                for language in 0..<languageCount {
                    for kind in LanguageFeatures.kinds {
                        let weight: Float = kind == 0 ? wordWeight : 1
                        scores[language] += weight * Float(featureCounts[kind]) * floors[kind * languageCount + language]
                    }
                }
            }
        }
        }
        }
        }
        }
        let best = scores.indices.max { scores[$0] < scores[$1] }!
        // Noise and random letters: even single letters and letter pairs that no language uses.
        if Double(covered[best]) < 0.6 * Double(shortFeatures) {
            return Guess(code: "und", confidence: 0, candidates: [])
        }
        let maximum = scores[best]
        // Naive Bayes is overconfident on long texts: temper the scores by the amount of evidence.
        let temperature = Float(1 + Double(features).squareRoot() / 2)
        var probabilities = scores.map { Double(exp(($0 - maximum) / temperature)) }
        let total = probabilities.reduce(0, +)
        probabilities = probabilities.map { $0 / total }
        // Several classes may report one code (Serbian in Latin and in Cyrillic letters).
        var byCode: [String: Double] = [:]
        for (index, probability) in probabilities.enumerated() { byCode[model.languages[index], default: 0] += probability }
        let ranked = byCode.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let candidates = ranked.prefix(3).map { Candidate(code: $0.key, score: ($0.value * 10_000).rounded() / 10_000) }
        return Guess(code: candidates[0].code, confidence: candidates[0].score, candidates: candidates)
    }
}
