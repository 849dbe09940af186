/// The input formats siftd reads.
public enum InputFormat: String, Sendable, Codable, CaseIterable {
    case text
    case markdown
    case html
    case json

    /// The format an extension names; `nil` for an unknown extension.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "html", "htm", "xhtml": self = .html
        case "json": self = .json
        default: return nil
        }
    }

    /// The format the decoded content looks like, for inputs without an extension.
    static func sniff(_ text: Substring) -> InputFormat {
        let head = text.prefix(512).drop { $0.isWhitespace }.lowercased()
        if head.hasPrefix("<!doctype html") || head.hasPrefix("<html") || head.hasPrefix("<head")
            || head.hasPrefix("<body") || head.hasPrefix("<article")
        {
            return .html
        }
        if head.hasPrefix("{") { return .json }
        return .text
    }
}
