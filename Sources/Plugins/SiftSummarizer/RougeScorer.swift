/// ROUGE-N: the n-grams a summary shares with a reference (counts clipped), as recall (of the
/// reference's), precision (of the summary's) and their F1. Words are compared as
/// ``WordScanner`` folds them, by key.
public struct RougeScorer: Sendable {
    /// One comparison.
    public struct Score: Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

        public init(precision: Double, recall: Double) {
            self.precision = precision
            self.recall = recall
        }
    }

    /// The n-gram order.
    public let order: Int

    public init(order: Int) {
        self.order = max(order, 1)
    }

    /// The score of a summary against a reference, both as word keys.
    public func score(summary: [UInt64], reference: [UInt64]) -> Score {
        let summaryGrams = grams(summary)
        let referenceGrams = grams(reference)
        let summaryTotal = summaryGrams.values.reduce(0, +)
        let referenceTotal = referenceGrams.values.reduce(0, +)
        guard summaryTotal > 0, referenceTotal > 0 else { return Score(precision: 0, recall: 0) }
        var overlap = 0
        for (gram, count) in summaryGrams { overlap += min(count, referenceGrams[gram] ?? 0) }
        return Score(precision: Double(overlap) / Double(summaryTotal), recall: Double(overlap) / Double(referenceTotal))
    }

    /// N-gram counts, each n-gram as one mixed key.
    func grams(_ words: [UInt64]) -> [UInt64: Int] {
        guard words.count >= order else { return [:] }
        var counts: [UInt64: Int] = [:]
        for start in 0...(words.count - order) {
            var key: UInt64 = 0x9E37_79B9_7F4A_7C15
            for word in words[start..<(start + order)] { key = (key ^ word) &* 0x0000_0100_0000_01B3 &+ 0x2545_F491 }
            counts[key, default: 0] += 1
        }
        return counts
    }
}
