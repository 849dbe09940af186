/// How long a summary may be.
public enum SummaryLength: Sendable, Equatable {
    /// At most this many sentences.
    case sentences(Int)
    /// At most this many words (at least one sentence, however long).
    case words(Int)
    /// At most this share of the document's words (at least one sentence).
    case ratio(Double)

    /// Three sentences, as a news editor would.
    public static let standard = SummaryLength.sentences(3)
}
