import SiftTextToolkit
import Synchronization

/// What the tagger worked out about tokens it has met, kept across documents: a token's view,
/// the scores of its own features in both passes and the scores it gives the tokens near it
/// depend on nothing but the token, and news repeats its vocabulary. Analysing a token
/// (folding, clitics, gazetteers, a score look-up per feature) is most of the tagger's work;
/// the cache skips it for every token seen before, as spaCy's vocabulary keeps a lexeme's
/// attributes.
///
/// A token is found by its key (``EntityFeatures/distinctTokens(of:hash:)``) and its bytes are
/// compared: a document whose tokens are made to collide with common words' keys cannot give
/// later documents' words its tokens' analyses.
///
/// Bounded: when full it is emptied and fills again with what documents bring; tokens longer
/// than ``longestToken`` bytes are not kept. Shared by all the documents tagged with one model,
/// whatever their task; the lock is taken twice per document.
final class TokenAnalysisCache: Sendable {
    /// The most tokens kept (0: none).
    let capacity: Int
    /// The longest token kept, in UTF-8 bytes: the token bytes kept stay under
    /// ``capacity`` × this.
    static let longestToken = 96
    /// Scores per token: both passes' tags.
    static let width = 2 * EntityTagSet.count
    /// Scores a token gives its neighbours: ``width`` for each of ``EntityFeatures/neighbourOffsets``.
    static let neighbourWidth = EntityFeatures.neighbourOffsets.count * width
    /// What is kept per token: its own scores, then those it gives its neighbours.
    private static let rowWidth = width + neighbourWidth

    private struct State: ~Copyable {
        var slots = HashKeyedMap<Int32>()
        var views: [EntityFeatures.TokenView] = []
        /// ``rowWidth`` scores per token, in the order of ``views``.
        var scores: [Float] = []
        /// The tokens' UTF-8, one after the other; token `i`'s ends at `ends[i]`.
        var bytes: [UInt8] = []
        var ends: [Int32] = []
    }

    private let state = Mutex(State())

    /// Creates an empty cache holding up to `capacity` tokens.
    init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    /// Copies what is known of the tokens with the given keys (hashes of the tokens as written)
    /// into `views`, `scores` (``width`` per token) and `neighbourScores` (``neighbourWidth``
    /// per token); returns the indices of the unknown ones.
    func fill(
        keys: [UInt64], tokens: [String], views: inout [EntityFeatures.TokenView?], scores: UnsafeMutablePointer<Float>,
        neighbourScores: UnsafeMutablePointer<Float>
    ) -> [Int] {
        guard capacity > 0 else { return Array(keys.indices) }
        return state.withLock { state in
            var missing: [Int] = []
            state.scores.withUnsafeBufferPointer { known in
                for (index, key) in keys.enumerated() {
                    guard let slot = state.slots[key].map(Int.init), Self.holds(state, slot, tokens[index]) else {
                        missing.append(index)
                        continue
                    }
                    views[index] = state.views[slot]
                    let row = known.baseAddress! + slot * Self.rowWidth
                    (scores + index * Self.width).update(from: row, count: Self.width)
                    (neighbourScores + index * Self.neighbourWidth).update(from: row + Self.width, count: Self.neighbourWidth)
                }
            }
            return missing
        }
    }

    /// Whether the token in `slot` has the bytes of `token`.
    private static func holds(_ state: borrowing State, _ slot: Int, _ token: String) -> Bool {
        let start = slot == 0 ? 0 : Int(state.ends[slot - 1])
        let end = Int(state.ends[slot])
        var token = token
        return token.withUTF8 { bytes in
            bytes.count == end - start && state.bytes.withUnsafeBufferPointer { stored in bytes.elementsEqual(stored[start..<end]) }
        }
    }

    /// Keeps the analyses of the tokens at `indices` (of `keys`, `tokens`, `views`, `scores` and
    /// `neighbourScores` as in ``fill(keys:tokens:views:scores:neighbourScores:)``).
    func store(
        keys: [UInt64], tokens: [String], indices: [Int], views: [EntityFeatures.TokenView?], scores: UnsafePointer<Float>,
        neighbourScores: UnsafePointer<Float>
    ) {
        guard capacity > 0, !indices.isEmpty else { return }
        state.withLock { state in
            for index in indices {
                // A token longer than any word is analysed each time it comes: kept, a stream of
                // long unique tokens would hold their bytes by the megabyte.
                guard let view = views[index], tokens[index].utf8.count <= Self.longestToken, state.slots[keys[index]] == nil else {
                    continue
                }
                if state.views.count >= capacity { state = State() }
                if state.views.isEmpty {
                    // The arrays at their full size at once: grown by doubling, they would hold
                    // up to twice what they need, and copy it on the way.
                    state.views.reserveCapacity(capacity)
                    state.ends.reserveCapacity(capacity)
                    state.scores.reserveCapacity(capacity * Self.rowWidth)
                }
                state.slots[keys[index]] = Int32(state.views.count)
                state.views.append(view)
                state.bytes.append(contentsOf: tokens[index].utf8)
                state.ends.append(Int32(state.bytes.count))
                state.scores.append(contentsOf: UnsafeBufferPointer(start: scores + index * Self.width, count: Self.width))
                state.scores.append(
                    contentsOf: UnsafeBufferPointer(start: neighbourScores + index * Self.neighbourWidth, count: Self.neighbourWidth))
            }
        }
    }
}
