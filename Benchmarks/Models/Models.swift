import Benchmark
import Foundation

/// The repository's root.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The team's data sets beside the repository (`../shared`), or nil when they are absent or when
/// `SIFTD_BENCH_CLEAN_CLONE` is set: the committed thresholds (`make bench-check`) are recorded on
/// what a clean clone has, the fallback inputs, whose counts are also in the benchmarks' names.
let shared: URL? = {
    guard ProcessInfo.processInfo.environment["SIFTD_BENCH_CLEAN_CLONE"] == nil else { return nil }
    let directory = repository.deletingLastPathComponent().appendingPathComponent("shared")
    return FileManager.default.fileExists(atPath: directory.path) ? directory : nil
}()

/// The benchmarks of the models and the summariser, each on one thread.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(10), maxIterations: 10_000,
        thresholds: modelTolerances()
    )
    languageIdentificationBenchmarks()
    entityTaggingBenchmarks()
    summarizationBenchmarks()
}
