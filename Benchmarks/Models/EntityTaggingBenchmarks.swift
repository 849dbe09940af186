import Benchmark
import Foundation
import SiftEntityTagger

/// Sentences to tag: the development part of ANERcorp (its last 10%) when `../shared` is there,
/// else the seed articles' sentences.
let taggingDocuments: [[[String]]] = {
    let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/data/ner/anercorp/train.txt")
    var sentences: [[String]] = []
    if let text = try? String(contentsOf: corpus, encoding: .utf8), let read = try? LabeledSentence.read(conll: text) {
        sentences = LabeledSentence.split(read, developmentFraction: 0.1).development.map(\.tokens)
    } else {
        let seeds = repository.appendingPathComponent("seeds")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? [] {
            let text = (try? String(contentsOf: seeds.appendingPathComponent(name), encoding: .utf8)) ?? ""
            sentences += TokenizedDocument(.init(text)).words
        }
    }
    // Documents of 20 sentences, as the development figures are computed.
    return stride(from: 0, to: sentences.count, by: 20).map { Array(sentences[$0..<min($0 + 20, sentences.count)]) }
}()

/// Tokens per document, to turn documents per second into tokens per second.
let tokensPerDocument = Double(taggingDocuments.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }) / Double(max(taggingDocuments.count, 1))

/// Entity tagging: documents per second (tokens per second = throughput × tokens per document), model load.
func entityTaggingBenchmarks() {
    Benchmark(
        "Entity tagging: documents of 20 sentences (\(Int(tokensPerDocument)) tokens each)",
        configuration: .init(maxIterations: 2_000)
    ) { benchmark in
        let model = try BundledEntityModel.load()
        var index = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(model.tag(document: taggingDocuments[index]))
            index = (index + 1) % taggingDocuments.count
        }
    }

    Benchmark("Entity tagging: model load", configuration: .init(maxIterations: 100)) { benchmark in
        let url = try BundledEntityModel.url()
        for _ in benchmark.scaledIterations {
            blackHole(try EntityModel(contentsOf: url))
        }
    }
}
