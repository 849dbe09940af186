import Foundation

/// Trains one stage's weights as a linear-chain conditional random field: the weights that
/// make the gold tags most probable among all tag sequences the BIO constraint allows, with an
/// L2 penalty, found by L-BFGS. Unlike the perceptron's, the result does not depend on the
/// order the sentences are visited in.
struct ConditionalRandomFieldTrainer: Sendable {
    /// The L2 penalty's strength: `l2 / 2 · |w|²` is added to the negative log-likelihood.
    var l2 = 1.0
    /// The optimiser.
    var minimizer = LBFGSMinimizer()
    /// The fewest sentences worth a task of their own.
    var sentencesPerTask = 64

    /// Weights for `rowCount` feature rows and the transitions, from sentences given as feature
    /// rows per token and gold tags.
    func train(
        _ sentences: [[[Int32]]], tags: [[Int]], rowCount: Int, progress: ((String) -> Void)?
    ) async -> (weights: [Float], transitions: [Float]) {
        let tagCount = EntityTagSet.count
        let gold = tags.map(Self.repaired)
        let start = [Double](repeating: 0, count: rowCount * tagCount + (tagCount + 1) * tagCount)
        let solution = await minimizer.minimize(from: start) { point, gradient in
            await objective(point, &gradient, sentences: sentences, tags: gold, rowCount: rowCount)
        } progress: { iteration, value in
            if iteration % 10 == 0 { progress?("  iteration \(iteration): objective \(Int(value))") }
        }
        let weights = solution[0..<(rowCount * tagCount)].map { Float($0) }
        let transitions = solution[(rowCount * tagCount)...].map { Float($0) }
        return (weights, transitions)
    }

    /// Gold tags that break the BIO constraint (`I-X` after `O` or another type) read as `B-X`,
    /// so that every gold sequence is one the model can give.
    static func repaired(_ tags: [Int]) -> [Int] {
        var tags = tags
        for position in tags.indices where !EntityTagSet.allows(position == 0 ? nil : tags[position - 1], tags[position]) {
            tags[position] -= 1
        }
        return tags
    }

    /// The penalised negative log-likelihood of the gold tags at `point`, and its gradient; the
    /// sentences are shared out among the processors.
    func objective(_ point: [Double], _ gradient: inout [Double], sentences: [[[Int32]]], tags: [[Int]], rowCount: Int) async -> Double {
        let tagCount = EntityTagSet.count
        let transitionBase = rowCount * tagCount
        let allowed = EntityTagSet.allowedTransitions
        // exp(transition) where allowed, 0 where not; row tagCount is the start.
        let factors = (0..<((tagCount + 1) * tagCount)).map { allowed[$0] ? exp(point[transitionBase + $0]) : 0 }
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, sentences.count / max(sentencesPerTask, 1)))
        let shares = (0..<parts).map { part in (sentences.count * part / parts)..<(sentences.count * (part + 1) / parts) }
        var value = 0.0
        for index in gradient.indices { gradient[index] = l2 * point[index] }
        for index in point.indices { value += 0.5 * l2 * point[index] * point[index] }
        let results = await withTaskGroup(of: (Int, Double, [Double]).self) { group in
            for (part, share) in shares.enumerated() {
                group.addTask {
                    var partial = [Double](repeating: 0, count: point.count)
                    let value = Self.negativeLogLikelihood(
                        point, factors: factors, into: &partial, sentences: sentences, tags: tags, share: share, rowCount: rowCount)
                    return (part, value, partial)
                }
            }
            var results: [(Int, Double, [Double])] = []
            for await result in group { results.append(result) }
            return results
        }
        // Summed in the shares' order, not as they finish: the same sums, bit for bit, every run.
        for (_, partValue, partial) in results.sorted(by: { $0.0 < $1.0 }) {
            value += partValue
            LBFGSMinimizer.addScaled(partial, 1, to: &gradient)
        }
        return value
    }

    /// The negative log-likelihood of the gold tags of `share`'s sentences, its gradient added
    /// to `gradient`; `factors` are the transitions' exponentials.
    static func negativeLogLikelihood(
        _ point: [Double], factors: [Double], into gradient: inout [Double], sentences: [[[Int32]]], tags: [[Int]], share: Range<Int>,
        rowCount: Int
    ) -> Double {
        let tagCount = EntityTagSet.count
        let transitionBase = rowCount * tagCount
        var value = 0.0
        var scores: [Double] = []
        var alpha: [Double] = []
        var beta: [Double] = []
        var scales: [Double] = []
        point.withUnsafeBufferPointer { point in
            gradient.withUnsafeMutableBufferPointer { gradient in
                for (sentence, gold) in zip(sentences[share], tags[share]) {
                    let length = sentence.count
                    guard length > 0 else { continue }
                    scores = [Double](repeating: 0, count: length * tagCount)
                    for position in 0..<length {
                        for row in sentence[position] {
                            let base = Int(row) * tagCount
                            for tag in 0..<tagCount { scores[position * tagCount + tag] += point[base + tag] }
                        }
                    }
                    // The gold sequence's score.
                    var goldScore = point[transitionBase + tagCount * tagCount + gold[0]]
                    for position in 0..<length {
                        goldScore += scores[position * tagCount + gold[position]]
                        if position > 0 { goldScore += point[transitionBase + gold[position - 1] * tagCount + gold[position]] }
                    }
                    // exp(score - the token's best), and the log of the partition function.
                    var logPartition = 0.0
                    for position in 0..<length {
                        var top = -Double.infinity
                        for tag in 0..<tagCount { top = max(top, scores[position * tagCount + tag]) }
                        for tag in 0..<tagCount { scores[position * tagCount + tag] = exp(scores[position * tagCount + tag] - top) }
                        logPartition += top
                    }
                    // Forward, scaled to sum to one at each token.
                    alpha = [Double](repeating: 0, count: length * tagCount)
                    scales = [Double](repeating: 0, count: length)
                    for position in 0..<length {
                        var sum = 0.0
                        for tag in 0..<tagCount {
                            var incoming = 0.0
                            if position == 0 {
                                incoming = factors[tagCount * tagCount + tag]
                            } else {
                                for previous in 0..<tagCount {
                                    incoming += alpha[(position - 1) * tagCount + previous] * factors[previous * tagCount + tag]
                                }
                            }
                            let forward = incoming * scores[position * tagCount + tag]
                            alpha[position * tagCount + tag] = forward
                            sum += forward
                        }
                        for tag in 0..<tagCount { alpha[position * tagCount + tag] /= sum }
                        scales[position] = sum
                        logPartition += log(sum)
                    }
                    // Backward, with the same scales.
                    beta = [Double](repeating: 0, count: length * tagCount)
                    for tag in 0..<tagCount { beta[(length - 1) * tagCount + tag] = 1 }
                    for position in stride(from: length - 2, through: 0, by: -1) {
                        for tag in 0..<tagCount {
                            var outgoing = 0.0
                            for next in 0..<tagCount {
                                outgoing +=
                                    factors[tag * tagCount + next] * scores[(position + 1) * tagCount + next]
                                    * beta[(position + 1) * tagCount + next]
                            }
                            beta[position * tagCount + tag] = outgoing / scales[position + 1]
                        }
                    }
                    value += logPartition - goldScore
                    // Expected counts minus the gold counts.
                    for position in 0..<length {
                        for row in sentence[position] {
                            let base = Int(row) * tagCount
                            for tag in 0..<tagCount {
                                gradient[base + tag] += alpha[position * tagCount + tag] * beta[position * tagCount + tag]
                            }
                            gradient[base + gold[position]] -= 1
                        }
                        if position == 0 {
                            for tag in 0..<tagCount {
                                gradient[transitionBase + tagCount * tagCount + tag] += alpha[tag] * beta[tag]
                            }
                            gradient[transitionBase + tagCount * tagCount + gold[0]] -= 1
                        } else {
                            for previous in 0..<tagCount {
                                let from = alpha[(position - 1) * tagCount + previous] / scales[position]
                                for tag in 0..<tagCount {
                                    gradient[transitionBase + previous * tagCount + tag] +=
                                        from * factors[previous * tagCount + tag] * scores[position * tagCount + tag]
                                        * beta[position * tagCount + tag]
                                }
                            }
                            gradient[transitionBase + gold[position - 1] * tagCount + gold[position]] -= 1
                        }
                    }
                }
            }
        }
        return value
    }
}
