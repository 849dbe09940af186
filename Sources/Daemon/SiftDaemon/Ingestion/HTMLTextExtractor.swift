import Foundation

/// Extracts the title, the main text and a little metadata from an HTML page.
///
/// A tolerant scanner, not a validating parser: scripts, styles, navigation, headers, footers,
/// forms and elements whose class or id marks them as sharing, comments or related links are
/// dropped; when the page has an `<article>` or `<main>`, only its text is kept.
public struct HTMLTextExtractor: Sendable {
    /// What was found on a page.
    public struct Extraction: Sendable, Equatable {
        /// The best title: the main heading, else `og:title`, else `<title>`.
        public var title: String?
        /// The main text, one paragraph per block, blocks separated by a blank line.
        public var text: String
        /// `url` (canonical or `og:url`) and `published` (`article:published_time` or `<time datetime>`).
        public var metadata: [String: String]
    }

    private static let droppedElements: Set<String> = [
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
        "nav", "header", "footer", "aside", "form", "button", "select", "textarea", "head", "menu", "dialog",
    ]
    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr",
    ]
    private static let blockElements: Set<String> = [
        "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table", "section",
        "article", "main", "blockquote", "pre", "dd", "dt", "dl", "figcaption", "figure", "hr", "body", "td",
        "th", "caption", "address", "center",
    ]
    private static let boilerplateMarkers = [
        "share", "social", "comment", "related", "sidebar", "breadcrumb", "cookie", "newsletter", "advert",
        "promo", "subscribe", "navbar", "menu", "footer", "tags",
    ]

    /// Creates an extractor.
    public init() {}

    /// Elements whose end tag pages often leave out; they are not counted towards the nesting depth.
    private static let optionalEndElements: Set<String> = [
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb", "rt", "rp",
        "colgroup", "caption", "html", "head", "body",
    ]

    /// Extracts from the page's text.
    /// - Throws: ``SiftError`` `.limitExceeded` when elements are nested deeper than `maxDepth`;
    ///   `CancellationError` when the task is cancelled (checked as the page is read).
    public func extract(_ html: String, maxDepth: Int = IngestionLimits.default.maxHTMLDepth) throws -> Extraction {
        var scanner = Scanner(Array(html.unicodeScalars))
        var collector = Collector()
        var dropping: (tag: String, depth: Int)?
        var inTitle = false
        var titleText = ""
        var headingDepth = 0
        var headingText = ""
        var firstHeading: (text: String, inMain: Bool)?
        var mainDepth = 0
        var preDepth = 0
        var openElements = 0
        var tokens = 0

        while let token = scanner.next() {
            tokens &+= 1
            if tokens & 0xFFF == 0, Task.isCancelled { throw CancellationError() }
            switch token {
            case .text(let raw):
                if inTitle {
                    titleText += raw
                    continue
                }
                guard dropping == nil else { continue }
                let text = HTMLEntities.decode(raw)
                if headingDepth > 0 { headingText += text }
                collector.append(text, inMain: mainDepth > 0, preformatted: preDepth > 0)
            case .startTag(let name, let attributes, let selfClosing):
                if !selfClosing, !Self.voidElements.contains(name), !Self.optionalEndElements.contains(name) {
                    openElements += 1
                    if openElements > maxDepth {
                        throw SiftError(
                            .limitExceeded,
                            "the HTML nests elements deeper than \(maxDepth) levels (at <\(name)>; the limit is max_html_depth)"
                        )
                    }
                }
                if var current = dropping {
                    if name == current.tag, !selfClosing, !Self.voidElements.contains(name) {
                        current.depth += 1
                        dropping = current
                    }
                    if name == "title" { inTitle = true }
                    if name == "meta" || name == "link" { collector.noteMetadata(name, attributes) }
                    continue
                }
                if name == "meta" || name == "link" { collector.noteMetadata(name, attributes) }
                if name == "time", let datetime = attributes["datetime"], collector.metadata["published"] == nil {
                    collector.metadata["published"] = datetime
                }
                if name == "title" {
                    inTitle = true
                    continue
                }
                if Self.droppedElements.contains(name) || isBoilerplate(attributes) {
                    if !selfClosing, !Self.voidElements.contains(name) { dropping = (name, 1) }
                    continue
                }
                if name == "article" || name == "main" { mainDepth += 1 }
                if name == "pre" { preDepth += 1 }
                if name == "h1" {
                    headingDepth += 1
                    headingText = ""
                }
                if Self.blockElements.contains(name) { collector.breakBlock() }
            case .endTag(let name):
                if !Self.voidElements.contains(name), !Self.optionalEndElements.contains(name) {
                    openElements = max(0, openElements - 1)
                }
                if name == "title" {
                    inTitle = false
                    continue
                }
                if var current = dropping {
                    if name == current.tag {
                        current.depth -= 1
                        dropping = current.depth == 0 ? nil : current
                    }
                    continue
                }
                if name == "article" || name == "main" { mainDepth = max(0, mainDepth - 1) }
                if name == "pre" { preDepth = max(0, preDepth - 1) }
                if name == "h1", headingDepth > 0 {
                    headingDepth -= 1
                    let heading = collapseWhitespace(headingText)
                    if !heading.isEmpty, firstHeading == nil || (firstHeading?.inMain == false && mainDepth > 0) {
                        firstHeading = (heading, mainDepth > 0)
                    }
                }
                if Self.blockElements.contains(name) { collector.breakBlock() }
            }
        }
        collector.breakBlock()
        if Task.isCancelled { throw CancellationError() }

        let pageTitle = collapseWhitespace(HTMLEntities.decode(titleText))
        let title = [firstHeading?.text, collector.metadata.removeValue(forKey: "og:title"), pageTitle]
            .compactMap { $0 }
            .first { !$0.isEmpty }
        return Extraction(title: title, text: collector.text, metadata: collector.metadata)
    }

    private func isBoilerplate(_ attributes: [String: String]) -> Bool {
        let marks = ((attributes["class"] ?? "") + " " + (attributes["id"] ?? "") + " " + (attributes["role"] ?? ""))
            .lowercased()
        if marks.contains("navigation") || marks.contains("banner") || marks.contains("contentinfo") { return true }
        return Self.boilerplateMarkers.contains { marker in
            marks.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains { $0 == marker || $0.hasPrefix(marker + "s") }
        }
    }
}

/// Collects text into blocks, preferring the blocks inside `<article>`/`<main>`.
private struct Collector {
    var blocks: [(text: String, inMain: Bool)] = []
    var current = ""
    var currentInMain = false
    var currentIsPreformatted = false
    var metadata: [String: String] = [:]

    mutating func append(_ text: String, inMain: Bool, preformatted: Bool) {
        if current.isEmpty {
            currentInMain = inMain
        }
        currentIsPreformatted = currentIsPreformatted || preformatted
        current += text
    }

    mutating func breakBlock() {
        let text =
            currentIsPreformatted
            ? current.trimmingCharacters(in: .newlines) : collapseWhitespace(current)
        if !text.isEmpty { blocks.append((text, currentInMain)) }
        current = ""
        currentIsPreformatted = false
    }

    mutating func noteMetadata(_ tag: String, _ attributes: [String: String]) {
        if tag == "link", attributes["rel"]?.lowercased() == "canonical", let href = attributes["href"] {
            metadata["url"] = href
        }
        guard tag == "meta", let content = attributes["content"].map(HTMLEntities.decode) else { return }
        let key = (attributes["property"] ?? attributes["name"] ?? "").lowercased()
        switch key {
        case "og:title": metadata["og:title"] = collapseWhitespace(content)
        case "og:url": if metadata["url"] == nil { metadata["url"] = content }
        case "article:published_time", "datepublished", "pubdate", "date":
            if metadata["published"] == nil { metadata["published"] = content }
        default: break
        }
    }

    var text: String {
        let main = blocks.filter(\.inMain)
        let chosen = main.contains { $0.text.unicodeScalars.count >= 40 } ? main : blocks
        return chosen.map(\.text).joined(separator: "\n\n")
    }
}

func collapseWhitespace(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    var pendingSpace = false
    var count = 0
    for scalar in text.unicodeScalars {
        count &+= 1
        // Cancelled: the extractor throws at its next check; what is collapsed so far is discarded.
        if count & 0xFFFF == 0, Task.isCancelled { break }
        if scalar.properties.isWhitespace {
            pendingSpace = !result.isEmpty
        } else {
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(scalar)
        }
    }
    return String(result)
}

/// Splits HTML into text runs and tags; comments, doctypes and processing instructions vanish.
///
/// Every scalar is looked at a bounded number of times and nothing recurses, so the cost is linear
/// in the page whatever it holds: a construct left open at the end (a comment, a tag, a quoted
/// attribute) ends with the page, as in browsers, instead of being scanned again from each `<`.
private struct Scanner {
    enum Token {
        case text(String)
        case startTag(String, [String: String], selfClosing: Bool)
        case endTag(String)
    }

    let scalars: [Unicode.Scalar]
    var index = 0
    /// Set after `<script>`/`<style>`: their content is raw text up to the matching end tag.
    var rawTextTag: String?

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func next() -> Token? {
        while index < scalars.count {
            if let tag = rawTextTag {
                rawTextTag = nil
                let start = index
                while index < scalars.count {
                    if scalars[index] == "<", index + 1 < scalars.count, scalars[index + 1] == "/",
                        hasName(tag, at: index + 2)
                    {
                        break
                    }
                    index += 1
                }
                return .text(text(start..<index))
            }
            if scalars[index] == "<" {
                switch tag() {
                case .token(let token): return token
                case .skipped: continue
                case .literal: break
                }
            }
            let start = index
            index += 1
            while index < scalars.count, scalars[index] != "<" { index += 1 }
            return .text(text(start..<index))
        }
        return nil
    }

    private enum TagOutcome {
        case token(Token)
        /// A comment, doctype or processing instruction, or a tag the page ended inside.
        case skipped
        /// The `<` is literal text.
        case literal
    }

    private func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(scalars[range]))
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }

    private func nameEnd(from position: Int) -> Int {
        var end = position
        while end < scalars.count, Self.isNameScalar(scalars[end]) { end += 1 }
        return end
    }

    /// Whether the tag name at `position` is `name` (ASCII, lowercase), case-insensitively.
    private func hasName(_ name: String, at position: Int) -> Bool {
        var cursor = position
        for expected in name.unicodeScalars {
            guard cursor < scalars.count else { return false }
            let value = scalars[cursor].value
            guard (65...90).contains(value) ? value + 32 == expected.value : value == expected.value else { return false }
            cursor += 1
        }
        return cursor == scalars.count || !Self.isNameScalar(scalars[cursor])
    }

    /// Moves past the next `terminator`, or to the end when there is none.
    private mutating func skip(past terminator: [Unicode.Scalar]) {
        while index < scalars.count {
            if scalars[index] == terminator[0], index + terminator.count <= scalars.count,
                scalars[index..<index + terminator.count].elementsEqual(terminator)
            {
                index += terminator.count
                return
            }
            index += 1
        }
    }

    private static let commentEnd: [Unicode.Scalar] = ["-", "-", ">"]
    private static let tagEnd: [Unicode.Scalar] = [">"]

    /// Reads a tag at `index` (which holds `<`).
    private mutating func tag() -> TagOutcome {
        var position = index + 1
        guard position < scalars.count else { return .literal }
        if scalars[position] == "!" {
            if position + 2 < scalars.count, scalars[position + 1] == "-", scalars[position + 2] == "-" {
                index = position + 3
                skip(past: Self.commentEnd)
            } else {
                index = position + 1
                skip(past: Self.tagEnd)
            }
            return .skipped
        }
        if scalars[position] == "?" {
            index = position + 1
            skip(past: Self.tagEnd)
            return .skipped
        }
        var closing = false
        if scalars[position] == "/" {
            closing = true
            position += 1
        }
        guard position < scalars.count, scalars[position].properties.isAlphabetic else { return .literal }
        let end = nameEnd(from: position)
        let name = text(position..<end).lowercased()
        position = end
        var attributes: [String: String] = [:]
        var selfClosing = false
        while position < scalars.count, scalars[position] != ">" {
            let scalar = scalars[position]
            if scalar.properties.isWhitespace {
                position += 1
                continue
            }
            if scalar == "/" {
                selfClosing = true
                position += 1
                continue
            }
            var attributeEnd = position
            while attributeEnd < scalars.count, !scalars[attributeEnd].properties.isWhitespace,
                scalars[attributeEnd] != "=", scalars[attributeEnd] != ">", scalars[attributeEnd] != "/"
            {
                attributeEnd += 1
            }
            if attributeEnd == position {
                // A stray `=`: skip it rather than stall.
                position += 1
                continue
            }
            let attributeName = text(position..<attributeEnd).lowercased()
            position = attributeEnd
            while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
            var value = ""
            if position < scalars.count, scalars[position] == "=" {
                position += 1
                while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
                if position < scalars.count, scalars[position] == "\"" || scalars[position] == "'" {
                    let quote = scalars[position]
                    let valueStart = position + 1
                    position = valueStart
                    while position < scalars.count, scalars[position] != quote { position += 1 }
                    value = text(valueStart..<position)
                    if position < scalars.count { position += 1 }
                } else {
                    let valueStart = position
                    while position < scalars.count, !scalars[position].properties.isWhitespace, scalars[position] != ">" {
                        position += 1
                    }
                    value = text(valueStart..<position)
                }
                selfClosing = false
            }
            if attributes[attributeName] == nil {
                attributes[attributeName] = HTMLEntities.decode(value)
            }
        }
        guard position < scalars.count else {
            // The page ends inside the tag: browsers drop such a tag, and so does siftd.
            index = scalars.count
            return .skipped
        }
        index = position + 1
        if closing { return .token(.endTag(name)) }
        if !selfClosing, ["script", "style", "textarea", "title"].contains(name) { rawTextTag = name }
        return .token(.startTag(name, attributes, selfClosing: selfClosing))
    }
}
