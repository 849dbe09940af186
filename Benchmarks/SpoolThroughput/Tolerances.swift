import Benchmark

/// How far each metric's p90 may move from its committed value in `Benchmarks/Thresholds` before
/// `make bench-check` fails, in percent. docs/performance.md#thresholds gives the spread measured
/// over repeated runs that these are set against.
///
/// - Wall clock: these benchmarks wait for `fsync`, and on a shared machine the disk is shared
///   too: a run took up to 1.97× the median with nothing changed, so only a slowdown past 2.5× fails.
/// - Mallocs: counted, not timed; they moved by at most 1.2% between runs (the daemon's tasks
///   interleave differently). 3% is some 1,200 of the 40,000 a document costs now: a few more
///   per word of the seeds.
/// - Peak resident memory: within 1% between runs; 10% is a few megabytes of the daemon.
/// - CPU time (the bursts): what the pipeline costs, less noisy than the wall clock since it does
///   not wait for the disk, but the machine's other work still slows it: a doubling fails.
func spoolTolerances(
    wallClock: Double = 150, peakMemory: Double = 10, mallocs: Double = 3, cpu: Double = 100
)
    -> [BenchmarkMetric: BenchmarkThresholds]
{
    [
        .wallClock: .init(relative: [.p90: wallClock]),
        .cpuTotal: .init(relative: [.p90: cpu]),
        .peakMemoryResident: .init(relative: [.p90: peakMemory]),
        .mallocCountTotal: .init(relative: [.p90: mallocs]),
    ]
}
