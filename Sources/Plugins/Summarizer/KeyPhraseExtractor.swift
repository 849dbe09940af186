import SiftTextToolkit

/// The key phrases of a document: runs of one to three content words (no function words
/// inside) that the document repeats, weighed by how often their words occur and how early
/// (and by entity salience when given), longer phrases preferred when they repeat as a whole;
/// a phrase whose words are all in one already chosen is left out.
public struct KeyPhraseExtractor: Sendable {
    /// The most phrases returned.
    public var maximum = 10
    /// The fewest returned when the document has that many candidates.
    public var minimum = 5

    public init() {}

    /// A phrase: its text as first written, and its score.
    public struct Phrase: Sendable, Equatable {
        public var text: String
        public var score: Double
    }

    static let proclitics: Set<Unicode.Scalar> = ["و", "ف", "ب", "ك", "ل"]

    static func cost(_ span: TextSpan, _ text: ScalarText) -> Int {
        span.length + (proclitics.contains(text.scalars[span.start]) ? 1 : 0)
    }

    /// The key phrases of a document, best first; `entities` weighs terms by entity salience.
    public func phrases(of document: SummaryDocument, entities: [UInt64: Double] = [:]) -> [Phrase] {
        // Each content word's term, in the order of the words.
        var termWeights: [UInt64: Double] = [:]
        var firstSentence: [UInt64: Int] = [:]
        for (number, terms) in document.terms.enumerated() {
            for term in terms {
                termWeights[term, default: 0] += 1
                if firstSentence[term] == nil { firstSentence[term] = number }
            }
        }
        for (term, count) in termWeights {
            termWeights[term] = count * (1 + 1 / (1 + Double(firstSentence[term] ?? 0))) * (1 + (entities[term] ?? 0))
        }
        struct Candidate {
            var terms: [UInt64]
            var span: TextSpan
            var count: Int
        }
        var candidates: [[UInt64]: Candidate] = [:]
        var order: [[UInt64]] = []
        for (number, words) in document.words.enumerated() {
            var termIndex = 0
            var run: [(term: UInt64, span: TextSpan)] = []
            func flush() {
                for start in run.indices {
                    for length in 1...3 where start + length <= run.count {
                        let slice = run[start..<(start + length)]
                        let key = slice.map(\.term)
                        let span = TextSpan(slice.first!.span.start, slice.last!.span.end)
                        if candidates[key] == nil {
                            candidates[key] = Candidate(terms: key, span: span, count: 0)
                            order.append(key)
                        }
                        candidates[key]!.count += 1
                        // Shown as written with the fewest letters, a proclitic letter counting double:
                        // السراج, not للسراج or بالسراج.
                        if Self.cost(span, document.text) < Self.cost(candidates[key]!.span, document.text) { candidates[key]!.span = span }
                    }
                }
                run.removeAll()
            }
            for word in words {
                if word.content, termIndex < document.terms[number].count {
                    run.append((document.terms[number][termIndex], word.span))
                    termIndex += 1
                } else {
                    flush()
                }
            }
            flush()
        }
        let scored = order.compactMap { key -> (Candidate, Double)? in
            guard let candidate = candidates[key] else { return nil }
            // A phrase of several words counts only when it repeats as a whole.
            guard candidate.terms.count == 1 || candidate.count >= 2, Set(candidate.terms).count == candidate.terms.count else { return nil }
            let weight = candidate.terms.reduce(0) { $0 + (termWeights[$1] ?? 0) } / Double(candidate.terms.count)
            return (candidate, weight * Double(candidate.count).squareRoot() * (1 + 0.5 * Double(candidate.terms.count - 1)))
        }
        .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.span.start < $1.0.span.start }
        var chosen: [Phrase] = []
        var covered = Set<UInt64>()
        for (candidate, score) in scored where chosen.count < maximum {
            // Mostly words of phrases already chosen: nothing new.
            guard candidate.terms.filter({ !covered.contains($0) }).count * 2 > candidate.terms.count else { continue }
            // Single words that occur once make up the numbers only.
            if candidate.terms.count == 1, candidate.count < 2, chosen.count >= minimum { continue }
            chosen.append(Phrase(text: document.text[candidate.span], score: (score * 1000).rounded() / 1000))
            covered.formUnion(candidate.terms)
        }
        return chosen
    }
}
