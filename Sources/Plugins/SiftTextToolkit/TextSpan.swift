/// A range of a text in Unicode scalar offsets: `start` included, `end` excluded.
///
/// Every offset siftd reports counts Unicode scalars (code points) into the result's `text`,
/// never bytes or UTF-16 units.
public struct TextSpan: Sendable, Hashable, Codable, Comparable {
    public var start: Int
    public var end: Int

    /// Creates a span.
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    /// How many scalars the span covers.
    public var length: Int { end - start }

    public static func < (lhs: TextSpan, rhs: TextSpan) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }
}

/// A text as an array of scalars, so that offsets are cheap to use.
public struct ScalarText: Sendable {
    /// The scalars.
    public let scalars: [Unicode.Scalar]

    /// Wraps a string.
    public init(_ text: String) {
        scalars = Array(scalarsOf: text)
    }

    /// Wraps scalars (a span of another text, without a round trip through a string).
    public init(scalars: some Collection<Unicode.Scalar>) {
        self.scalars = Array(scalars)
    }

    /// The text of a span.
    public subscript(span: TextSpan) -> String {
        String(scalars: scalars[span.start..<span.end])
    }
}
