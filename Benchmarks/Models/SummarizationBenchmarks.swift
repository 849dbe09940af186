import Benchmark
import Foundation
import SiftSummarizer
import SiftTextToolkit

/// Articles to summarise: the EASC development articles when `../shared` is there, else the
/// seed articles.
let summaryArticles: [String] = {
    if let easc = shared?.appendingPathComponent("data/summ/easc-dev"),
        let articles = try? SummaryEvaluation.articles(in: easc.path), !articles.isEmpty
    {
        return articles.map(\.text)
    }
    let seeds = repository.appendingPathComponent("seeds")
    return ((try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? []).sorted().compactMap {
        try? String(contentsOf: seeds.appendingPathComponent($0), encoding: .utf8)
    }
}()

/// Summarisation: articles per second (throughput × articles per iteration).
func summarizationBenchmarks() {
    // As the plugin works: the language known, the text read into sentences and terms, three
    // sentences picked, key phrases found. Each iteration summarises every article.
    Benchmark(
        "Summary: \(summaryArticles.count) articles, three sentences and key phrases each",
        configuration: .init(maxIterations: 2_000)
    ) { benchmark in
        let summarizer = ExtractiveSummarizer()
        let extractor = KeyPhraseExtractor()
        for _ in benchmark.scaledIterations {
            for article in summaryArticles {
                let document = SummaryDocument(text: ScalarText(article), language: "ar")
                blackHole(summarizer.summarize(document, length: .standard))
                blackHole(extractor.phrases(of: document))
            }
        }
    }
}
