import ArgumentParser
import Foundation
import SiftLanguageID
import SiftSummarizer
import SiftTextToolkit

/// The summary length options of `siftd summarize`.
struct SummaryLengthOptions: ParsableArguments {
    @Option(help: "About this many words: sentences are added while the summary is shorter, so the last may run past (at least one sentence).")
    var words: Int?

    @Option(help: "At most this many sentences (default: 3).")
    var sentences: Int?

    func validate() throws {
        guard words == nil || sentences == nil else { throw ValidationError("give --words or --sentences, not both") }
        guard (words ?? 1) > 0, (sentences ?? 1) > 0 else { throw ValidationError("the length must be positive") }
    }

    var length: SummaryLength {
        if let words { return .words(words) }
        if let sentences { return .sentences(sentences) }
        return .standard
    }
}

/// Summarises a plain text: its language detected with the bundled model, boilerplate lines
/// left out, the opening line taken as the title when it is short and does not end a sentence.
struct PlainTextSummarizer {
    let detector: LanguageDetector
    let summarizer = ExtractiveSummarizer()

    init() throws {
        detector = LanguageDetector(model: try BundledLanguageModel.load())
    }

    func summary(of text: String, length: SummaryLength) -> String {
        let trimmed = BoilerplateTrimmer().trim(text)
        let scalars = ScalarText(text)
        let regions = Self.regions(length: scalars.scalars.count, removed: trimmed.removed)
        let document = SummaryDocument(text: scalars, language: detector.detect(trimmed.text).code, regions: regions)
        return summarizer.summarize(document, length: length).map { scalars[$0.span] }.joined(separator: " ")
    }

    /// The text outside the removed spans.
    static func regions(length: Int, removed: [TextSpan]) -> [TextSpan] {
        var regions: [TextSpan] = []
        var start = 0
        for span in removed.sorted() {
            if span.start > start { regions.append(TextSpan(start, span.start)) }
            start = max(start, span.end)
        }
        if start < length { regions.append(TextSpan(start, length)) }
        return regions
    }
}

/// `siftd summarize [--words N | --sentences N] FILE…`.
struct SummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize", abstract: "Print an extractive summary of each file (plain UTF-8 text), one per line."
    )

    @OptionGroup var length: SummaryLengthOptions

    @Argument(help: "Text files.")
    var files: [String]

    func run() throws {
        let summarizer = try PlainTextSummarizer()
        var output = StandardOutputBuffer()
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            output.write(summarizer.summary(of: text, length: length.length).replacingOccurrences(of: "\n", with: " ") + "\n")
        }
        output.flush()
    }
}

/// `siftd eval summary --data DIR`.
struct EvalSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "ROUGE-1 and ROUGE-2 F1 of summaries against references (folders of article.txt and ref*.txt), and articles per second."
    )

    @Option(help: "A folder of article folders, such as ../shared/data/summ/easc-dev.")
    var data: String

    func run() throws {
        let articles = try SummaryEvaluation.articles(in: data)
        guard !articles.isEmpty else { throw ValidationError("no article folders (article.txt and ref*.txt) in \(data)") }
        let summarizer = try PlainTextSummarizer()
        let budgets = articles.map(\.referenceWords)
        let clock = ContinuousClock()
        let start = clock.now
        let summaries = zip(articles, budgets).map {
            SummaryEvaluation.truncated(summarizer.summary(of: $0.text, length: .words($1)), toWords: $1)
        }
        let elapsed = (clock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        var evaluation = SummaryEvaluation()
        for (article, summary) in zip(articles, summaries) { evaluation.add(summary: summary, references: article.references) }
        print(String(format: "ROUGE-1 F1 %.2f  ROUGE-2 F1 %.2f  (%d articles, summaries cut at the mean reference length)", evaluation.rouge1 * 100, evaluation.rouge2 * 100, evaluation.count))
        print(String(format: "%d articles in %.3f s: %.0f articles per second", articles.count, seconds, Double(articles.count) / max(seconds, 1e-9)))
    }
}
