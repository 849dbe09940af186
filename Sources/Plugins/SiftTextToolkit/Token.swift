/// One token of a text.
public struct Token: Sendable, Hashable {
    /// What a token is.
    public enum Kind: String, Sendable, Hashable, Codable {
        case word, number, punctuation, url, hashtag, mention, email, symbol
    }

    /// The token as written.
    public var text: String
    /// What it is.
    public var kind: Kind
    /// Where it is, in Unicode scalar offsets.
    public var span: TextSpan

    /// Creates a token.
    public init(text: String, kind: Kind, span: TextSpan) {
        self.text = text
        self.kind = kind
        self.span = span
    }
}
