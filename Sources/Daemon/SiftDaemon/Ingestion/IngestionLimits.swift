/// The bounds every input is read within; exceeding one fails the document with a reason.
public struct IngestionLimits: Sendable, Equatable {
    /// The largest input accepted, in bytes.
    public var maxBytes: Int
    /// The deepest nesting of HTML elements (those with a required end tag) accepted.
    public var maxHTMLDepth: Int
    /// The deepest nesting of JSON arrays and objects accepted.
    public var maxJSONDepth: Int
    /// Whether a regular file with more than one hard link is read. Off by default: a link to a
    /// file elsewhere would otherwise have siftd, which may run with more rights than the writer,
    /// publish that file's content.
    public var allowHardLinks: Bool

    /// Creates limits.
    public init(maxBytes: Int = 10 << 20, maxHTMLDepth: Int = 1024, maxJSONDepth: Int = 256, allowHardLinks: Bool = false) {
        self.maxBytes = maxBytes
        self.maxHTMLDepth = maxHTMLDepth
        self.maxJSONDepth = maxJSONDepth
        self.allowHardLinks = allowHardLinks
    }

    /// The defaults.
    public static let `default` = IngestionLimits()
}
