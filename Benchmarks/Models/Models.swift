import Benchmark
import Foundation

/// The repository's root.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The benchmarks of the models and the summariser, each on one thread.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(10), maxIterations: 10_000
    )
    languageIdentificationBenchmarks()
    entityTaggingBenchmarks()
    summarizationBenchmarks()
}
