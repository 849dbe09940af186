import Foundation
import SiftTextToolkit

/// Picks the sentences of a summary. Each sentence is scored by its position (news puts the
/// point first), its centrality (how much it shares with the other sentences: LexRank-style
/// degree over TF-IDF cosine similarities of light-stemmed content terms), its overlap with
/// the title, and the salience of the entities it names; sentences are then taken best first,
/// each penalised by its similarity to those already taken (maximal marginal relevance), as
/// long as they fit the length. The summary lists them in document order.
public struct ExtractiveSummarizer: Sendable {
    /// The weights of the signals (all are scaled to 0…1 first). The defaults are those that
    /// scored best on the EASC development articles (`siftd eval summary`).
    public struct Weights: Sendable, Equatable {
        public var position = 1.0
        /// How fast the position signal falls: `1 / (1 + index / positionScale)`.
        public var positionScale = 4.0
        public var centrality = 0.3
        /// Similarity to the title (to the opening sentence when there is none).
        public var title = 0.1
        public var entities = 0.2
        /// The weight of the similarity to sentences already taken.
        public var redundancy = 0.2
        /// Sentences shorter than this many words count for less (headings, fragments).
        public var shortSentence = 5
        /// A sentence still fits a word budget when no more than this share of it goes over: at
        /// 1, sentences are added while the budget is not reached, and the last may run past it.
        public var overflow = 1.0
        /// Sentences at least this similar to one already taken are left out.
        public var duplicate = 0.85

        public init() {}
    }

    /// One sentence of a summary.
    public struct Sentence: Sendable, Equatable {
        /// Its index among the document's sentences.
        public var index: Int
        /// Where it is in the text (Unicode scalars).
        public var span: TextSpan
        /// Its score (before the redundancy penalty).
        public var score: Double
    }

    /// Bounds that keep the cost linear in the document, whatever its length.
    public struct Limits: Sendable, Equatable {
        /// A sentence's centrality is its similarity to the first this many sentences (all of them,
        /// in every article of ordinary length).
        public var centralitySentences = 100
        /// The most sentences a summary has, whatever its length asks for.
        public var summarySentences = 200

        public init() {}
    }

    public var weights: Weights
    public var limits: Limits

    public init(weights: Weights = Weights(), limits: Limits = Limits()) {
        self.weights = weights
        self.limits = limits
    }

    /// The summary of a document: its sentences in document order. `entities` weighs content
    /// terms by the salience of the entities they name (term key → salience, 0…1).
    ///
    /// The cost grows linearly with the sentences (see ``Limits``). When the current task is
    /// cancelled it stops early and returns what it has; callers check for cancellation after.
    public func summarize(_ document: SummaryDocument, length: SummaryLength, entities: [UInt64: Double] = [:]) -> [Sentence] {
        let count = document.sentences.count
        guard count > 0 else { return [] }
        let idf = Self.idf(document)
        let vectors = document.terms.map { Self.vector($0, idf: idf) }
        let titleVector = document.titleTerms.isEmpty ? nil : Self.vector(document.titleTerms, idf: idf)
        let scores = self.scores(document, vectors: vectors, title: titleVector, entities: entities)
        let wordBudget: Int
        let sentenceBudget: Int
        switch length {
        case .sentences(let sentences):
            sentenceBudget = max(sentences, 1)
            wordBudget = .max
        case .words(let words):
            sentenceBudget = count
            wordBudget = max(words, 1)
        case .ratio(let ratio):
            sentenceBudget = count
            wordBudget = max(Int((Double(document.wordCounts.reduce(0, +)) * ratio).rounded()), 1)
        }
        var chosen: [Int] = []
        var words = 0
        var available = [Bool](repeating: true, count: count)
        // Each sentence's greatest similarity to a sentence already taken.
        var closest = [Double](repeating: 0, count: count)
        while chosen.count < min(sentenceBudget, limits.summarySentences), !Task.isCancelled {
            var best: (index: Int, value: Double)?
            for index in 0..<count where available[index] {
                let length = document.wordCounts[index]
                let fits = chosen.isEmpty || (words < wordBudget && words + length - Int(weights.overflow * Double(length)) <= wordBudget)
                guard fits else { continue }
                let similarity = closest[index]
                // A sentence said again (news repeats its lead further down) is never taken twice.
                guard similarity < weights.duplicate else { continue }
                let value = scores[index] - weights.redundancy * similarity
                if best.map({ value > $0.value || (value == $0.value && index < $0.index) }) ?? true { best = (index, value) }
            }
            guard let best else { break }
            chosen.append(best.index)
            words += document.wordCounts[best.index]
            available[best.index] = false
            for index in 0..<count where available[index] {
                closest[index] = max(closest[index], Self.cosine(vectors[index], vectors[best.index]))
            }
        }
        return chosen.sorted().map { Sentence(index: $0, span: document.sentences[$0], score: scores[$0]) }
    }

    /// Each sentence's score before redundancy.
    func scores(_ document: SummaryDocument, vectors: [Vector], title: Vector?, entities: [UInt64: Double]) -> [Double] {
        let count = document.sentences.count
        var centrality = [Double](repeating: 0, count: count)
        let sample = min(count, limits.centralitySentences)
        // Every pair (first, second) with first < second and first in the sample, taken sentence
        // by sentence: the sample's vectors stay in the cache while each sentence is compared
        // with them (the other order streamed all vectors from memory once per sample sentence,
        // slower per sentence the longer the document). The sums are added in the same order.
        for second in 1..<max(count, 1) {
            if second & 255 == 0, Task.isCancelled { break }
            for first in 0..<min(second, sample) {
                let similarity = Self.cosine(vectors[first], vectors[second])
                centrality[second] += similarity
                if second < sample { centrality[first] += similarity }
            }
        }
        // Without a title, the opening sentence says what the document is about.
        let titleVector = title ?? vectors[0]
        var entityWeight = document.terms.map { terms in terms.reduce(0) { $0 + (entities[$1] ?? 0) } }
        func scaled(_ values: inout [Double]) {
            let top = values.max() ?? 0
            if top > 0 { values = values.map { $0 / top } }
        }
        scaled(&centrality)
        scaled(&entityWeight)
        return (0..<count).map { index in
            var score =
                weights.position / (1 + Double(index) / weights.positionScale) + weights.centrality * centrality[index]
                + weights.title * Self.cosine(vectors[index], titleVector) + weights.entities * entityWeight[index]
            if document.wordCounts[index] < weights.shortSentence {
                score *= Double(document.wordCounts[index]) / Double(weights.shortSentence)
            }
            return score
        }
    }

    /// A sparse TF-IDF vector: (term, weight) sorted by term, and its norm.
    typealias Vector = (terms: [(key: UInt64, weight: Double)], norm: Double)

    static func idf(_ document: SummaryDocument) -> HashKeyedMap<Double> {
        // Distinct terms grow more slowly than words (sized by the words, the maps of a 5 MB
        // document took hundreds of megabytes); grown if needed.
        var frequency = HashKeyedMap<Int>(capacity: 1024 + document.wordCounts.reduce(0, +) / 8)
        var keys: [UInt64] = []
        for terms in document.terms {
            let sorted = terms.sorted()
            for (position, term) in sorted.enumerated() where position == 0 || sorted[position - 1] != term {
                if let count = frequency[term] {
                    frequency[term] = count + 1
                } else {
                    frequency[term] = 1
                    keys.append(term)
                }
            }
        }
        let count = Double(document.sentences.count)
        var idf = HashKeyedMap<Double>(capacity: keys.count)
        for key in keys { idf[key] = log((count + 1) / Double(frequency[key] ?? 1)) }
        return idf
    }

    /// Term counts weighted by IDF, sorted by term (runs of the sorted terms are the counts).
    static func vector(_ terms: [UInt64], idf: HashKeyedMap<Double>) -> Vector {
        var weighted: [(key: UInt64, weight: Double)] = []
        var norm = 0.0
        let sorted = terms.sorted()
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count, sorted[end] == sorted[start] { end += 1 }
            let weight = Double(end - start) * (idf[sorted[start]] ?? 0)
            weighted.append((sorted[start], weight))
            norm += weight * weight
            start = end
        }
        return (weighted, norm.squareRoot())
    }

    static func cosine(_ first: Vector, _ second: Vector) -> Double {
        guard first.norm > 0, second.norm > 0 else { return 0 }
        var dot = 0.0
        var left = 0
        var right = 0
        while left < first.terms.count, right < second.terms.count {
            let a = first.terms[left]
            let b = second.terms[right]
            if a.key == b.key {
                dot += a.weight * b.weight
                left += 1
                right += 1
            } else if a.key < b.key {
                left += 1
            } else {
                right += 1
            }
        }
        return dot / (first.norm * second.norm)
    }
}
