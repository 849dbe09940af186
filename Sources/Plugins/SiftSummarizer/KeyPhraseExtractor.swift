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

    /// Whether a letter can be a proclitic: و ف ب ك ل.
    static func isProclitic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x648, 0x641, 0x628, 0x643, 0x644: true
        default: false
        }
    }

    static func cost(_ span: TextSpan, _ text: ScalarText) -> Int {
        span.length + (isProclitic(text.scalars[span.start]) ? 1 : 0)
    }

    /// The key phrases of a document, best first; `entities` weighs terms by entity salience.
    public func phrases(of document: SummaryDocument, entities: [UInt64: Double] = [:]) -> [Phrase] {
        // Each term's weight: how often it occurs, more when it occurs early, more for entities.
        let wordCount = document.wordCounts.reduce(0, +)
        // Distinct terms, and phrases, grow more slowly than words; grown if needed.
        var counts = HashKeyedMap<(count: Double, first: Int)>(capacity: 1024 + wordCount / 8)
        for (number, terms) in document.terms.enumerated() {
            for term in terms {
                let known = counts[term]
                counts[term] = (count: (known?.count ?? 0) + 1, first: known?.first ?? number)
            }
        }
        func weight(_ term: UInt64) -> Double {
            guard let known = counts[term] else { return 0 }
            return known.count * (1 + 1 / (1 + Double(known.first))) * (1 + (entities[term] ?? 0))
        }
        // Terms inline (at most three): no reference to count per candidate.
        struct Candidate {
            var first: UInt64
            var second: UInt64
            var third: UInt64
            var length: Int
            var span: TextSpan
            var count: Int

            var terms: [UInt64] { Array([first, second, third].prefix(length)) }
        }
        var candidates: [Candidate] = []
        var index = HashKeyedMap<Int>(capacity: 1024 + wordCount)
        var run: [(term: UInt64, span: TextSpan)] = []
        for (number, words) in document.words.enumerated() {
            let terms = document.terms[number]
            var termIndex = 0
            func flush() {
                for start in run.indices {
                    var key: UInt64 = 0x9E37_79B9_7F4A_7C15
                    for length in 1...3 where start + length <= run.count {
                        let last = run[start + length - 1]
                        key = (key ^ last.term) &* 0x0000_0100_0000_01B3 &+ 0x2545_F491
                        let span = TextSpan(run[start].span.start, last.span.end)
                        if let found = index[key] {
                            candidates[found].count += 1
                            // Shown as written with the fewest letters, a proclitic letter counting double:
                            // السراج, not للسراج or بالسراج.
                            if Self.cost(span, document.text) < Self.cost(candidates[found].span, document.text) { candidates[found].span = span }
                        } else {
                            index[key] = candidates.count
                            candidates.append(
                                Candidate(
                                    first: run[start].term, second: length > 1 ? run[start + 1].term : 0, third: length > 2 ? run[start + 2].term : 0,
                                    length: length, span: span, count: 1))
                        }
                    }
                }
                run.removeAll(keepingCapacity: true)
            }
            for word in words {
                if word.content, termIndex < terms.count {
                    run.append((terms[termIndex], word.span))
                    termIndex += 1
                } else {
                    flush()
                }
            }
            flush()
        }
        let scored = candidates.compactMap { candidate -> (Candidate, Double)? in
            // A phrase of several words counts only when it repeats as a whole, and repeats no word.
            let repeatsWord =
                candidate.length > 1
                && (candidate.first == candidate.second
                    || (candidate.length == 3 && (candidate.third == candidate.first || candidate.third == candidate.second)))
            guard candidate.length == 1 || candidate.count >= 2, !repeatsWord else { return nil }
            var total = weight(candidate.first)
            if candidate.length > 1 { total += weight(candidate.second) }
            if candidate.length > 2 { total += weight(candidate.third) }
            let mean = total / Double(candidate.length)
            return (candidate, mean * Double(candidate.count).squareRoot() * (1 + 0.5 * Double(candidate.length - 1)))
        }
        .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.span.start < $1.0.span.start }
        var chosen: [Phrase] = []
        var covered = Set<UInt64>()
        for (candidate, score) in scored where chosen.count < maximum {
            let terms = candidate.terms
            // Mostly words of phrases already chosen: nothing new.
            guard terms.filter({ !covered.contains($0) }).count * 2 > terms.count else { continue }
            // Single words that occur once make up the numbers only.
            if terms.count == 1, candidate.count < 2, chosen.count >= minimum { continue }
            chosen.append(Phrase(text: document.text[candidate.span], score: (score * 1000).rounded() / 1000))
            covered.formUnion(terms)
        }
        return chosen
    }
}
