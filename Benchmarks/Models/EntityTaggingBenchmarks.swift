import Benchmark
import Foundation
import SiftEntityTagger

/// Sentences to tag: the development part of ANERcorp (its last 10%) when `../shared` is there,
/// else the seed articles' sentences.
let taggingDocuments: [[[String]]] = {
    let corpus = shared?.appendingPathComponent("data/ner/anercorp/train.txt")
    var sentences: [[String]] = []
    if let corpus, let text = try? String(contentsOf: corpus, encoding: .utf8), let read = try? LabeledSentence.read(conll: text) {
        sentences = LabeledSentence.split(read, developmentFraction: 0.1).development.map(\.tokens)
    } else {
        let seeds = repository.appendingPathComponent("seeds")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? []).sorted() {
            let text = (try? String(contentsOf: seeds.appendingPathComponent(name), encoding: .utf8)) ?? ""
            sentences += TokenizedDocument(.init(text)).words
        }
    }
    // Documents of 20 sentences, as the development figures are computed.
    return stride(from: 0, to: sentences.count, by: 20).map { Array(sentences[$0..<min($0 + 20, sentences.count)]) }
}()

/// Tokens in all the documents.
let taggingTokens = taggingDocuments.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }

/// Tags every document once per iteration.
func tagAll(_ benchmark: Benchmark, _ model: EntityModel) {
    for _ in benchmark.scaledIterations {
        for document in taggingDocuments { blackHole(model.tag(document: document)) }
    }
}

/// Entity tagging: tokens per second (throughput × tokens in the documents), model load.
func entityTaggingBenchmarks() {
    // The model is loaded once, as the daemon does; each iteration tags all the documents (they
    // differ in length: one document per iteration would measure their spread).
    Benchmark(
        "Entity tagging: \(taggingDocuments.count) documents of 20 sentences, \(taggingTokens) tokens",
        configuration: .init(maxIterations: 500)
    ) { benchmark, model in
        tagAll(benchmark, model)
    } setup: {
        try BundledEntityModel.load()
    }

    // The same without the token cache: every document's tokens analysed afresh, as for a
    // daemon's first documents.
    Benchmark(
        "Entity tagging without the token cache: \(taggingDocuments.count) documents, \(taggingTokens) tokens",
        configuration: .init(maxIterations: 500)
    ) { benchmark, model in
        tagAll(benchmark, model)
    } setup: {
        try EntityModel(contentsOf: BundledEntityModel.url(), tokenCacheCapacity: 0)
    }

    Benchmark(
        "Entity tagging: model load",
        configuration: .init(maxIterations: 100, thresholds: modelTolerances(peakMemory: 25))
    ) { benchmark in
        let url = try BundledEntityModel.url()
        for _ in benchmark.scaledIterations {
            blackHole(try EntityModel(contentsOf: url))
        }
    }
}
