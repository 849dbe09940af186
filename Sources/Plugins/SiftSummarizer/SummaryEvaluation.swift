import Foundation
import SiftTextToolkit

/// ROUGE-1 and ROUGE-2 F1 of summaries against human references, averaged over each article's
/// references and then over articles, on words folded as ``WordScanner`` folds them (the EASC
/// references drop hamza forms that the articles keep: folding makes them meet).
public struct SummaryEvaluation: Sendable {
    /// An article with its reference summaries.
    public struct Article: Sendable {
        public var name: String
        public var text: String
        public var references: [String]

        public init(name: String, text: String, references: [String]) {
            self.name = name
            self.text = text
            self.references = references
        }

        /// The mean length of the references, in words: the budget the summary is given.
        public var referenceWords: Int {
            let scanner = WordScanner()
            let total = references.reduce(0) { $0 + scanner.keys(of: $1).count }
            return references.isEmpty ? 0 : Int((Double(total) / Double(references.count)).rounded())
        }
    }

    /// Mean ROUGE-1 F1 over the articles added.
    public private(set) var rouge1 = 0.0
    /// Mean ROUGE-2 F1 over the articles added.
    public private(set) var rouge2 = 0.0
    /// Articles added.
    public private(set) var count = 0

    public init() {}

    /// Adds one article's summary.
    public mutating func add(summary: String, references: [String]) {
        guard !references.isEmpty else { return }
        let scanner = WordScanner()
        let words = scanner.keys(of: summary)
        var one = 0.0
        var two = 0.0
        for reference in references {
            let referenceWords = scanner.keys(of: reference)
            one += RougeScorer(order: 1).score(summary: words, reference: referenceWords).f1
            two += RougeScorer(order: 2).score(summary: words, reference: referenceWords).f1
        }
        rouge1 = (rouge1 * Double(count) + one / Double(references.count)) / Double(count + 1)
        rouge2 = (rouge2 * Double(count) + two / Double(references.count)) / Double(count + 1)
        count += 1
    }

    /// Reads a folder of articles, one folder each with `article.txt` and `ref*.txt` (as EASC is
    /// laid out in `../shared/data/summ/easc-dev`); a byte-order mark is dropped.
    public static func articles(in directory: String) throws -> [Article] {
        let manager = FileManager.default
        var articles: [Article] = []
        for name in try manager.contentsOfDirectory(atPath: directory).sorted() {
            let folder = (directory as NSString).appendingPathComponent(name)
            let articlePath = (folder as NSString).appendingPathComponent("article.txt")
            guard manager.fileExists(atPath: articlePath) else { continue }
            let references = try manager.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("ref") && $0.hasSuffix(".txt") }.sorted()
            articles.append(
                Article(
                    name: name, text: try readText(articlePath),
                    references: try references.map { try readText((folder as NSString).appendingPathComponent($0)) }))
        }
        return articles
    }

    /// A summary cut after its first `words` words (as ROUGE's length limit does), so that a
    /// summary is never longer than its budget.
    public static func truncated(_ summary: String, toWords words: Int) -> String {
        let scalars = Array(summary.unicodeScalars)
        var count = 0
        var index = 0
        while index < scalars.count {
            if Tokenizer.isWordScalar(scalars[index]) {
                count += 1
                while index < scalars.count, Tokenizer.isWordScalar(scalars[index]) { index += 1 }
                if count == words { break }
            } else {
                index += 1
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[..<index])
        return String(view)
    }

    static func readText(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
}
