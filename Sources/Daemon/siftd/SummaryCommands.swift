import ArgumentParser
import Foundation
import SiftLanguageID
import SiftPluginAPI
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
struct EvalSummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract:
            "ROUGE-1 and ROUGE-2 F1 of the daemon's summaries against references (folders of article.txt and ref*.txt), and articles per second.",
        discussion: """
            Each article.txt goes through what `siftd process` runs: the daemon's ingestion and the configured \
            pipeline (by default text, language, entities, summary) with the configured options, up to the stage \
            that provides `summary`. What is scored is that stage's `annotations.summary.text`, cut at the mean \
            length of the article's references (as ROUGE's length limit does). --reference-length sets the \
            stage's `words` option to that length for each article instead of the configured length. The time \
            covers ingestion and every stage.
            """
    )

    @Option(help: "A folder of article folders, such as ../shared/data/summ/easc-dev.")
    var data: String

    @Flag(
        help: """
            Give each summary the mean length of its article's references (the summary stage's `words` option, \
            as a configuration setting it would) rather than the configured length.
            """)
    var referenceLength = false

    @OptionGroup var daemon: EvaluationOptions

    func run() async throws {
        let articles = try SummaryEvaluation.articles(in: data)
        guard !articles.isEmpty else { throw ValidationError("no article folders (article.txt and ref*.txt) in \(data)") }
        // One pipeline per length: the length is a stage option, fixed when the stage is made.
        var pipelines: [Int?: DaemonPipeline] = [:]
        func pipeline(words: Int?) async throws -> DaemonPipeline {
            if let built = pipelines[words] { return built }
            let options: [String: JSONValue?] = words.map { ["words": .int($0), "ratio": nil] } ?? [:]
            let built = try await DaemonPipeline.load(configurationFile: daemon.config, capability: "summary", providerOptions: options)
            pipelines[words] = built
            return built
        }
        if !referenceLength { _ = try await pipeline(words: nil) }
        var evaluation = SummaryEvaluation()
        var missing = MissingAnnotations()
        var output = StandardOutputBuffer()
        var elapsed: Duration = .zero
        let clock = ContinuousClock()
        for article in articles {
            let budget = article.referenceWords
            let stages = try await pipeline(words: referenceLength ? max(budget, 1) : nil)
            let file = ((data as NSString).appendingPathComponent(article.name) as NSString).appendingPathComponent("article.txt")
            let start = clock.now
            var summary = ""
            do {
                let result = try await stages.run(file: file)
                if let text = result.annotations["summary"]?["text"]?.stringValue {
                    summary = text
                } else {
                    missing.add("\(article.name): \(stages.capability) was not provided")
                }
                if daemon.results { output.write(try result.resultLine(name: article.name + "/article.txt") + "\n") }
            } catch {
                missing.add("\(article.name): \(error)")
            }
            elapsed += clock.now - start
            evaluation.add(summary: SummaryEvaluation.truncated(summary, toWords: budget), references: article.references)
        }
        var length = ""
        if let provider = pipelines.values.first?.provider {
            let options = DaemonPipeline.describe(provider, except: referenceLength ? ["words", "ratio"] : [])
            length = "stage '\(provider.name)', " + (referenceLength ? "words: each article's mean reference length, " : "") + "options \(options)"
        }
        for built in pipelines.values { await built.shutdown() }
        output.write(
            String(
                format: "ROUGE-1 F1 %.2f  ROUGE-2 F1 %.2f  (%d articles, summaries cut at the mean reference length)\n",
                evaluation.rouge1 * 100, evaluation.rouge2 * 100, evaluation.count))
        output.write("summaries by \(length)\n")
        if let line = missing.line(of: articles.count, capability: "summary", scoredAs: "an empty summary") { output.write(line + "\n") }
        let seconds = elapsed.inSeconds
        output.write(
            String(
                format: "%d articles in %.3f s: %.0f articles per second (ingestion and every stage)\n", articles.count, seconds,
                Double(articles.count) / max(seconds, 1e-9)))
        output.flush()
    }
}
