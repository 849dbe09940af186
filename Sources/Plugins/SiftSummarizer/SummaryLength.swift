/// How long a summary may be.
public enum SummaryLength: Sendable, Equatable {
    /// At most this many sentences.
    case sentences(Int)
    /// About this many words: sentences are added while the summary is shorter, so the last may
    /// run past it (``ExtractiveSummarizer/Weights/overflow``); at least one sentence, however long.
    case words(Int)
    /// About this share of the document's words, in the same way (at least one sentence).
    case ratio(Double)

    /// Three sentences, as a news editor would.
    public static let standard = SummaryLength.sentences(3)
}
