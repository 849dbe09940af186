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

    /// Extracts from the page's text.
    public func extract(_ html: String) -> Extraction {
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

        while let token = scanner.next() {
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
        let text = currentIsPreformatted
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
    for scalar in text.unicodeScalars {
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
        guard index < scalars.count else { return nil }
        if let tag = rawTextTag {
            rawTextTag = nil
            let start = index
            while index < scalars.count {
                if scalars[index] == "<", index + 1 < scalars.count, scalars[index + 1] == "/",
                    lowercasedName(at: index + 2) == tag
                {
                    break
                }
                index += 1
            }
            return .text(String(String.UnicodeScalarView(scalars[start..<index])))
        }
        if scalars[index] == "<" {
            if let token = tag() { return token }
        }
        let start = index
        index += 1
        while index < scalars.count, scalars[index] != "<" { index += 1 }
        return .text(String(String.UnicodeScalarView(scalars[start..<index])))
    }

    private func lowercasedName(at position: Int) -> String {
        var end = position
        while end < scalars.count, scalars[end].properties.isAlphabetic || ("0"..."9").contains(scalars[end]) {
            end += 1
        }
        return String(String.UnicodeScalarView(scalars[position..<end])).lowercased()
    }

    private mutating func skip(past terminator: String) {
        let target = Array(terminator.unicodeScalars)
        while index < scalars.count {
            if scalars[index] == target[0], index + target.count <= scalars.count,
                Array(scalars[index..<index + target.count]) == target
            {
                index += target.count
                return
            }
            index += 1
        }
    }

    /// Reads a tag at `index` (which holds `<`); returns `nil` when the `<` is literal text.
    private mutating func tag() -> Token? {
        let start = index
        var position = index + 1
        guard position < scalars.count else { return nil }
        if scalars[position] == "!" {
            if position + 2 < scalars.count, scalars[position + 1] == "-", scalars[position + 2] == "-" {
                index = position + 3
                skip(past: "-->")
            } else {
                index = position
                skip(past: ">")
            }
            return next()
        }
        if scalars[position] == "?" {
            index = position
            skip(past: ">")
            return next()
        }
        var closing = false
        if scalars[position] == "/" {
            closing = true
            position += 1
        }
        guard position < scalars.count, scalars[position].properties.isAlphabetic else { return nil }
        let name = lowercasedName(at: position)
        position += name.unicodeScalars.count
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
            var nameEnd = position
            while nameEnd < scalars.count, !scalars[nameEnd].properties.isWhitespace,
                !["=", ">", "/"].contains(scalars[nameEnd])
            {
                nameEnd += 1
            }
            let attributeName = String(String.UnicodeScalarView(scalars[position..<nameEnd])).lowercased()
            position = nameEnd
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
                    value = String(String.UnicodeScalarView(scalars[valueStart..<min(position, scalars.count)]))
                    position += 1
                } else {
                    let valueStart = position
                    while position < scalars.count, !scalars[position].properties.isWhitespace, scalars[position] != ">" {
                        position += 1
                    }
                    value = String(String.UnicodeScalarView(scalars[valueStart..<position]))
                }
                selfClosing = false
            }
            if !attributeName.isEmpty, attributes[attributeName] == nil {
                attributes[attributeName] = HTMLEntities.decode(value)
            }
        }
        guard position < scalars.count else {
            index = start
            return nil
        }
        index = position + 1
        if closing { return .endTag(name) }
        if !selfClosing, ["script", "style", "textarea", "title"].contains(name) { rawTextTag = name }
        return .startTag(name, attributes, selfClosing: selfClosing)
    }
}
