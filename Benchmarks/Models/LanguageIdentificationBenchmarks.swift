import Benchmark
import Foundation
import SiftLanguageID

/// Sentences to identify: the development sentences of `../shared/data/langid/dev` when they are
/// there (75 languages, 300 each), else the sample beside this file.
let sentences: [String] = {
    if let development = shared?.appendingPathComponent("data/langid/dev/sentences"),
        let files = try? FileManager.default.contentsOfDirectory(atPath: development.path).sorted(), !files.isEmpty
    {
        return files.flatMap { file in
            ((try? String(contentsOf: development.appendingPathComponent(file), encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
        }
    }
    let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("sentences.txt")
    return ((try? String(contentsOf: sample, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
}()

/// Language identification: sentences per second, model load.
func languageIdentificationBenchmarks() {
    // One sentence per iteration, cycling through all of them; throughput is sentences per
    // second on the one thread the benchmark runs on.
    // The model is loaded once, as the daemon does.
    // With the word cache (what the daemon runs: most words have been read before) and without
    // it (every word's features looked up in the model).
    for (name, capacity) in [("Language ID: sentences", 16_384), ("Language ID: sentences without the word cache", 0)] {
        nonisolated(unsafe) var index = 0
        Benchmark(name, configuration: .init(scalingFactor: .kilo)) { benchmark, detector in
            for _ in benchmark.scaledIterations {
                blackHole(detector.detect(sentences[index]))
                index += 1
                if index == sentences.count { index = 0 }
            }
        } setup: {
            LanguageDetector(model: try BundledLanguageModel.load(), wordCacheCapacity: capacity)
        }
    }

    // Reading the bundled model from the page cache into memory, checked, ready to detect.
    Benchmark(
        "Language ID: model load",
        configuration: .init(maxIterations: 200, thresholds: modelTolerances(peakMemory: 25))
    ) { benchmark in
        let url = try BundledLanguageModel.url()
        for _ in benchmark.scaledIterations {
            blackHole(try LanguageModel(contentsOf: url))
        }
    }
}
