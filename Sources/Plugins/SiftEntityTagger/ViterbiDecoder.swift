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
        let length = emissions.count / tagCount
        guard length > 0 else { return [] }
        let (best, back) = forward(emissions: emissions, transitions: transitions, tagCount: tagCount, allowed: allowed)
        var tag = 0
        for candidate in 1..<tagCount where best[(length - 1) * tagCount + candidate] > best[(length - 1) * tagCount + tag] {
            tag = candidate
        }
        var tags = [Int](repeating: 0, count: length)
        for position in stride(from: length - 1, through: 0, by: -1) {
            tags[position] = tag
            tag = back[position * tagCount + tag]
        }
        return tags
    }

    /// Max-marginals: for every token and tag, the score of the best tag sequence that gives
    /// the token that tag (`result[token * tagCount + tag]`, `-infinity` where impossible).
    /// The gap between a token's best and second-best tag is how sure the decoder is of it.
    public static func maxMarginals(
        emissions: [Float], transitions: [Float], tagCount: Int, allows: (Int?, Int) -> Bool = EntityTagSet.allows
    ) -> [Float] {
        let length = emissions.count / tagCount
        guard length > 0 else { return [] }
        let allowed = allowedTransitions(tagCount: tagCount, allows: allows)
        let forward = forward(emissions: emissions, transitions: transitions, tagCount: tagCount, allowed: allowed).best
        var backward = [Float](repeating: 0, count: length * tagCount)
        for position in stride(from: length - 2, through: 0, by: -1) {
            for tag in 0..<tagCount {
                var top = -Float.infinity
                for next in 0..<tagCount where allowed[tag * tagCount + next] {
                    top = max(
                        top,
                        transitions[tag * tagCount + next] + emissions[(position + 1) * tagCount + next]
                            + backward[(position + 1) * tagCount + next])
                }
                backward[position * tagCount + tag] = top
            }
        }
        return zip(forward, backward).map { $0 + $1 }
    }

    /// The forward pass: the best score of a sequence ending at each token with each tag, and
    /// the previous tag on that sequence.
    private static func forward(
        emissions: [Float], transitions: [Float], tagCount: Int, allowed: [Bool]
    ) -> (best: [Float], back: [Int]) {
        let length = emissions.count / tagCount
        var best = [Float](repeating: -.infinity, count: length * tagCount)
        var back = [Int](repeating: 0, count: length * tagCount)
        for tag in 0..<tagCount where allowed[tagCount * tagCount + tag] {
            best[tag] = transitions[tagCount * tagCount + tag] + emissions[tag]
        }
        for position in 1..<max(length, 1) {
            for tag in 0..<tagCount {
                var top = -Float.infinity
                var from = 0
                for previous in 0..<tagCount where allowed[previous * tagCount + tag] {
                    let score = best[(position - 1) * tagCount + previous] + transitions[previous * tagCount + tag]
                    if score > top {
                        top = score
                        from = previous
                    }
                }
                best[position * tagCount + tag] = top + emissions[position * tagCount + tag]
                back[position * tagCount + tag] = from
            }
        }
        return (best, back)
    }

    /// `allows` as a table: `[previous * tagCount + tag]`, row `tagCount` for the start.
    static func allowedTransitions(tagCount: Int, allows: (Int?, Int) -> Bool) -> [Bool] {
        (0...tagCount).flatMap { previous in (0..<tagCount).map { allows(previous == tagCount ? nil : previous, $0) } }
    }
}
