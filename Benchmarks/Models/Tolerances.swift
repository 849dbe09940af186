import Benchmark

/// How far each metric's p90 may move from its committed value in `Benchmarks/Thresholds` before
/// `make bench-check` fails, in percent. docs/performance.md#thresholds gives the spread measured
/// over repeated runs that these are set against.
///
/// - Wall clock: one thread of CPU on a shared machine; runs differed by up to 1.9× with nothing
///   changed (a lucky run as much as an unlucky one), so only a doubling fails: losing the
///   entity model's token cache, a 3× slowdown, does.
/// - Mallocs: counted, not timed, and the same from run to run within a few allocations; 3%
///   also covers the model loads' hundred or so.
/// - Peak resident memory: within 1% between runs, but a model load can catch the previous
///   model not yet returned to the system (+17%, two runs of six); 10%, 25% for the loads.
func modelTolerances(wallClock: Double = 100, peakMemory: Double = 10, mallocs: Double = 3) -> [BenchmarkMetric: BenchmarkThresholds] {
    [
        .wallClock: .init(relative: [.p90: wallClock]),
        .peakMemoryResident: .init(relative: [.p90: peakMemory]),
        .mallocCountTotal: .init(relative: [.p90: mallocs]),
    ]
}
