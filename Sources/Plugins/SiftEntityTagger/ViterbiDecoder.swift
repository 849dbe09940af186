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
        var workspace = Workspace()
        return emissions.withUnsafeBufferPointer { emissions in
            decode(emissions: emissions, stride: tagCount, masked: transitions, tagCount: tagCount, workspace: &workspace)
        }
    }

    /// The buffers of the forward pass and the max-marginals, kept from one sentence to the next
    /// (a document's sentences are decoded one after another: one allocation each, not one per
    /// sentence).
    struct Workspace {
        var best: [Float] = []
        var back: [Int32] = []
        /// The max-marginals of the sentence last decoded by
        /// ``decodeWithMarginals(emissions:masked:tagCount:workspace:)``, `[token * tagCount + tag]`.
        var marginals: [Float] = []

        /// Room for `count` scores in every buffer.
        mutating func reserve(_ count: Int) {
            guard best.count < count else { return }
            let size = max(count, 2 * best.count)
            best = Array(repeating: 0, count: size)
            back = Array(repeating: 0, count: size)
            marginals = Array(repeating: 0, count: size)
        }
    }

    /// Decodes one sentence whose token `i`'s scores are `emissions[i * stride ..< i * stride + tagCount]`
    /// (rows of a wider table, e.g. two passes' scores side by side).
    static func decode(
        emissions: UnsafeBufferPointer<Float>, stride: Int, masked transitions: [Float], tagCount: Int, workspace: inout Workspace
    ) -> [Int] {
        let length = emissions.count / stride
        guard length > 0 else { return [] }
        workspace.reserve(length * tagCount)
        return workspace.best.withUnsafeMutableBufferPointer { best in
            workspace.back.withUnsafeMutableBufferPointer { back in
                transitions.withUnsafeBufferPointer { transitions in
                    forward(
                        emissions: emissions.baseAddress!, stride: stride, length: length, transitions: transitions, tagCount: tagCount,
                        best: best.baseAddress!, back: back.baseAddress!)
                }
                return path(back: back.baseAddress!, last: best.baseAddress!, length: length, tagCount: tagCount)
            }
        }
    }

    /// Max-marginals: for every token and tag, the score of the best tag sequence that gives
    /// the token that tag (`result[token * tagCount + tag]`, `-infinity` where impossible).
    /// The gap between a token's best and second-best tag is how sure the decoder is of it.
    public static func maxMarginals(
        emissions: [Float], transitions: [Float], tagCount: Int, allows: (Int?, Int) -> Bool = EntityTagSet.allows
    ) -> [Float] {
        let masked = masked(transitions, allowed: allowedTransitions(tagCount: tagCount, allows: allows))
        var workspace = Workspace()
        _ = decodeWithMarginals(emissions: emissions, masked: masked, tagCount: tagCount, workspace: &workspace)
        return Array(workspace.marginals.prefix(emissions.count / tagCount * tagCount))
    }

    /// The best tags of a sentence, from one forward pass under masked transitions
    /// (``masked(_:allowed:)``), with its max-marginals
    /// (``maxMarginals(emissions:transitions:tagCount:allows:)``) left in `workspace.marginals`.
    static func decodeWithMarginals(emissions: [Float], masked transitions: [Float], tagCount: Int, workspace: inout Workspace) -> [Int] {
        let length = emissions.count / tagCount
        guard length > 0 else { return [] }
        workspace.reserve(length * tagCount)
        return workspace.best.withUnsafeMutableBufferPointer { forward in
            workspace.back.withUnsafeMutableBufferPointer { back in
                workspace.marginals.withUnsafeMutableBufferPointer { backward in
                    emissions.withUnsafeBufferPointer { emissions in
                        transitions.withUnsafeBufferPointer { transitions in
                            Self.forward(
                                emissions: emissions.baseAddress!, stride: tagCount, length: length, transitions: transitions, tagCount: tagCount,
                                best: forward.baseAddress!, back: back.baseAddress!)
                            if tagCount == 9 {
                                backwardLoops(
                                    emissions: emissions.baseAddress!, length: length, transitions: transitions, tagCount: 9,
                                    backward: backward.baseAddress!)
                            } else {
                                backwardLoops(
                                    emissions: emissions.baseAddress!, length: length, transitions: transitions, tagCount: tagCount,
                                    backward: backward.baseAddress!)
                            }
                            for index in 0..<(length * tagCount) { backward[index] += forward[index] }
                        }
                    }
                }
                return path(back: back.baseAddress!, last: forward.baseAddress!, length: length, tagCount: tagCount)
            }
        }
    }

    /// The best score of the tokens after each token given its tag (`backward[token * tagCount + tag]`).
    @inline(__always)
    private static func backwardLoops(
        emissions: UnsafePointer<Float>, length: Int, transitions: UnsafeBufferPointer<Float>, tagCount: Int, backward: UnsafeMutablePointer<Float>
    ) {
        for tag in 0..<tagCount { backward[(length - 1) * tagCount + tag] = 0 }
        for position in Swift.stride(from: length - 2, through: 0, by: -1) {
            let next = (position + 1) * tagCount
            for tag in 0..<tagCount {
                var top = -Float.infinity
                for following in 0..<tagCount {
                    // A select, not `max`, whose care for NaN (none can arise: the scores are
                    // finite or -infinity) took four vector operations per comparison.
                    let score = transitions[tag * tagCount + following] + emissions[next + following] + backward[next + following]
                    top = score > top ? score : top
                }
                backward[position * tagCount + tag] = top
            }
        }
    }

    /// The tags of the best sequence: the best last tag, then the back pointers.
    private static func path(back: UnsafePointer<Int32>, last best: UnsafePointer<Float>, length: Int, tagCount: Int) -> [Int] {
        var tag = 0
        for candidate in 1..<tagCount where best[(length - 1) * tagCount + candidate] > best[(length - 1) * tagCount + tag] {
            tag = candidate
        }
        return [Int](unsafeUninitializedCapacity: length) { tags, initialized in
            for position in Swift.stride(from: length - 1, through: 0, by: -1) {
                tags[position] = tag
                tag = Int(back[position * tagCount + tag])
            }
            initialized = length
        }
    }

    /// The forward pass: the best score of a sequence ending at each token with each tag
    /// (`best[token * tagCount + tag]`), and the previous tag on that sequence (`back`).
    private static func forward(
        emissions: UnsafePointer<Float>, stride: Int, length: Int, transitions: UnsafeBufferPointer<Float>, tagCount: Int,
        best: UnsafeMutablePointer<Float>, back: UnsafeMutablePointer<Int32>
    ) {
        // The tagger's tag count as a constant: its loops unrolled, its rows in vector registers.
        if tagCount == 9 {
            forwardLoops(emissions: emissions, stride: stride, length: length, transitions: transitions, tagCount: 9, best: best, back: back)
        } else {
            forwardLoops(emissions: emissions, stride: stride, length: length, transitions: transitions, tagCount: tagCount, best: best, back: back)
        }
    }

    @inline(__always)
    private static func forwardLoops(
        emissions: UnsafePointer<Float>, stride: Int, length: Int, transitions: UnsafeBufferPointer<Float>, tagCount: Int,
        best: UnsafeMutablePointer<Float>, back: UnsafeMutablePointer<Int32>
    ) {
        // Each tag's column of transitions side by side (`columns[tag * tagCount + previous]`).
        withUnsafeTemporaryAllocation(of: Float.self, capacity: tagCount * tagCount) { columns in
            for previous in 0..<tagCount {
                for tag in 0..<tagCount { columns[tag * tagCount + previous] = transitions[previous * tagCount + tag] }
            }
            for tag in 0..<tagCount {
                best[tag] = transitions[tagCount * tagCount + tag] + emissions[tag]
                back[tag] = 0
            }
            for position in 1..<max(length, 1) {
                let previousRow = best + (position - 1) * tagCount
                let row = emissions + position * stride
                for tag in 0..<tagCount {
                    let column = columns.baseAddress! + tag * tagCount
                    // The best score, then the first previous tag that reaches it (as a search
                    // that keeps the first of equals picks it): no branch on each comparison.
                    var top = -Float.infinity
                    for previous in 0..<tagCount {
                        let score = previousRow[previous] + column[previous]
                        top = score > top ? score : top
                    }
                    var from = 0
                    while from < tagCount - 1, previousRow[from] + column[from] != top { from += 1 }
                    best[position * tagCount + tag] = top + row[tag]
                    back[position * tagCount + tag] = Int32(from)
                }
            }
        }
    }

    /// `allows` as a table: `[previous * tagCount + tag]`, row `tagCount` for the start.
    static func allowedTransitions(tagCount: Int, allows: (Int?, Int) -> Bool) -> [Bool] {
        (0...tagCount).flatMap { previous in (0..<tagCount).map { allows(previous == tagCount ? nil : previous, $0) } }
    }
}
