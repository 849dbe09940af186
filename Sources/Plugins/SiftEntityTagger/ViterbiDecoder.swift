/// The best tag sequence under per-token tag scores and tag-to-tag transition scores, with the
/// BIO constraint (`I-X` only after `B-X` or `I-X`) built in.
public enum ViterbiDecoder {
    /// Decodes one sentence.
    /// - Parameters:
    ///   - emissions: `emissions[token * tagCount + tag]`.
    ///   - transitions: `transitions[previous * tagCount + tag]`, with the row `tagCount` for the
    ///     sentence start.
    ///   - tagCount: the number of tags.
    ///   - allows: whether a tag may follow another (`nil`: the start).
    public static func decode(
        emissions: [Float], transitions: [Float], tagCount: Int, allows: (Int?, Int) -> Bool = EntityTagSet.allows
    ) -> [Int] {
        decode(emissions: emissions, transitions: transitions, tagCount: tagCount, allowed: allowedTransitions(tagCount: tagCount, allows: allows))
    }

    /// Decodes one sentence with the constraints as a table (``allowedTransitions(tagCount:allows:)``).
    static func decode(emissions: [Float], transitions: [Float], tagCount: Int, allowed: [Bool]) -> [Int] {
        decode(emissions: emissions, masked: masked(transitions, allowed: allowed), tagCount: tagCount)
    }

    /// Transitions with the ones not allowed made impossible (`-infinity`), so that the
    /// decoder's loops need no test: a sum with `-infinity` never wins a maximum.
    static func masked(_ transitions: [Float], allowed: [Bool]) -> [Float] {
        zip(transitions, allowed).map { $1 ? $0 : -.infinity }
    }

    /// Decodes one sentence under masked transitions (``masked(_:allowed:)``).
    static func decode(emissions: [Float], masked transitions: [Float], tagCount: Int) -> [Int] {
        let length = emissions.count / tagCount
        guard length > 0 else { return [] }
        let (best, back) = forward(emissions: emissions, transitions: transitions, tagCount: tagCount)
        return path(back: back, last: best, tagCount: tagCount)
    }

    /// Max-marginals: for every token and tag, the score of the best tag sequence that gives
    /// the token that tag (`result[token * tagCount + tag]`, `-infinity` where impossible).
    /// The gap between a token's best and second-best tag is how sure the decoder is of it.
    public static func maxMarginals(
        emissions: [Float], transitions: [Float], tagCount: Int, allows: (Int?, Int) -> Bool = EntityTagSet.allows
    ) -> [Float] {
        let masked = masked(transitions, allowed: allowedTransitions(tagCount: tagCount, allows: allows))
        return decodeWithMarginals(emissions: emissions, masked: masked, tagCount: tagCount).marginals
    }

    /// The best tags of a sentence and its max-marginals (``maxMarginals(emissions:transitions:tagCount:allows:)``),
    /// from one forward pass, under masked transitions (``masked(_:allowed:)``).
    static func decodeWithMarginals(emissions: [Float], masked transitions: [Float], tagCount: Int) -> (tags: [Int], marginals: [Float]) {
        let length = emissions.count / tagCount
        guard length > 0 else { return ([], []) }
        let (forward, back) = forward(emissions: emissions, transitions: transitions, tagCount: tagCount)
        var marginals = [Float](repeating: 0, count: length * tagCount)
        emissions.withUnsafeBufferPointer { emissions in
            transitions.withUnsafeBufferPointer { transitions in
                marginals.withUnsafeMutableBufferPointer { backward in
                    for position in stride(from: length - 2, through: 0, by: -1) {
                        let next = (position + 1) * tagCount
                        for tag in 0..<tagCount {
                            var top = -Float.infinity
                            for following in 0..<tagCount {
                                top = max(top, transitions[tag * tagCount + following] + emissions[next + following] + backward[next + following])
                            }
                            backward[position * tagCount + tag] = top
                        }
                    }
                    for index in backward.indices { backward[index] += forward[index] }
                }
            }
        }
        return (path(back: back, last: forward, tagCount: tagCount), marginals)
    }

    /// The tags of the best sequence: the best last tag, then the back pointers.
    private static func path(back: [Int32], last best: [Float], tagCount: Int) -> [Int] {
        let length = back.count / tagCount
        var tag = 0
        for candidate in 1..<tagCount where best[(length - 1) * tagCount + candidate] > best[(length - 1) * tagCount + tag] {
            tag = candidate
        }
        var tags = [Int](repeating: 0, count: length)
        for position in stride(from: length - 1, through: 0, by: -1) {
            tags[position] = tag
            tag = Int(back[position * tagCount + tag])
        }
        return tags
    }

    /// The forward pass: the best score of a sequence ending at each token with each tag, and
    /// the previous tag on that sequence.
    private static func forward(emissions: [Float], transitions: [Float], tagCount: Int) -> (best: [Float], back: [Int32]) {
        let length = emissions.count / tagCount
        var best = [Float](repeating: -.infinity, count: length * tagCount)
        var back = [Int32](repeating: 0, count: length * tagCount)
        // Each tag's column of transitions side by side (`columns[tag * tagCount + previous]`).
        withUnsafeTemporaryAllocation(of: Float.self, capacity: tagCount * tagCount) { columns in
            for previous in 0..<tagCount {
                for tag in 0..<tagCount { columns[tag * tagCount + previous] = transitions[previous * tagCount + tag] }
            }
            emissions.withUnsafeBufferPointer { emissions in
                best.withUnsafeMutableBufferPointer { best in
                    back.withUnsafeMutableBufferPointer { back in
                        for tag in 0..<tagCount { best[tag] = transitions[tagCount * tagCount + tag] + emissions[tag] }
                        for position in 1..<max(length, 1) {
                            let previousRow = best.baseAddress! + (position - 1) * tagCount
                            for tag in 0..<tagCount {
                                let column = columns.baseAddress! + tag * tagCount
                                // The best score, then the first previous tag that reaches it (as a
                                // search that keeps the first of equals picks it): no branch on
                                // each comparison.
                                var top = -Float.infinity
                                for previous in 0..<tagCount {
                                    let score = previousRow[previous] + column[previous]
                                    top = score > top ? score : top
                                }
                                var from = 0
                                while from < tagCount - 1, previousRow[from] + column[from] != top { from += 1 }
                                best[position * tagCount + tag] = top + emissions[position * tagCount + tag]
                                back[position * tagCount + tag] = Int32(from)
                            }
                        }
                    }
                }
            }
        }
        return (best, back)
    }

    /// `allows` as a table: `[previous * tagCount + tag]`, row `tagCount` for the start.
    static func allowedTransitions(tagCount: Int, allows: (Int?, Int) -> Bool) -> [Bool] {
        (0...tagCount).flatMap { previous in (0..<tagCount).map { allows(previous == tagCount ? nil : previous, $0) } }
    }
}
