import Foundation
import SiftPluginAPI
import Synchronization
import Testing

@testable import SiftDaemon

/// A stage past its timeout is stopped, not reported late.
@Suite("Pipeline: timeouts that stop work", .serialized)
struct StageTimeoutTests {
    /// Computes until cancelled, checking for cancellation as built-in plugins do.
    static let spinning = TestPlugins.plugin("spin", provides: ["spin"]) { _ in
        var counter = 0
        while !Task.isCancelled { counter &+= 1 }
        throw CancellationError()
    }

    @Test(
        "CPU-bound stages time out on time even when they occupy every thread of the pool",
        .timeLimit(.minutes(1))
    )
    func timeoutUnderLoad() async throws {
        let pipeline = try await PipelineBuilder(registry: try PluginRegistry([Self.spinning]), logger: TestPlugins.logger)
            .build([StageConfiguration(name: "spin", timeout: .milliseconds(300))])
        // As many spinning stages as the pool has threads: a timer that is itself a task never
        // gets a thread, so before, these ran forever.
        let runs = await withTaskGroup(of: Pipeline.Run.self) { group in
            for _ in 0..<max(2, ProcessInfo.processInfo.activeProcessorCount) {
                group.addTask { await pipeline.run(TestPlugins.document()) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for run in runs {
            let report = try #require(run.reports.first)
            #expect(report.status == "timeout")
            // Generous: other suites' CPU-bound tests share the pool and delay the resumption.
            #expect(report.durationMS < 20_000, "stopped after \(report.durationMS) ms")
        }
    }

    @Test("the time limit reports a timeout even when the work ignores cancellation, and passes results in time")
    func timeLimit() async throws {
        let late = try await TimeLimit.run(.milliseconds(50)) {
            try? await Task.sleep(for: .milliseconds(300))
            return 1
        }
        guard case .timedOut = late else {
            Issue.record("expected a timeout")
            return
        }
        // The work was cancelled, not its caller.
        #expect(!Task.isCancelled)
        let inTime = try await TimeLimit.run(.seconds(10)) { 42 }
        guard case .finished(42) = inTime else {
            Issue.record("expected 42")
            return
        }
        await #expect(throws: SiftError.self) {
            _ = try await TimeLimit.run(.seconds(10)) { throw SiftError(.io, "inside") }
        }
    }

    @Test(
        "the caller's cancellation reaches work that runs on its thread, whether it comes while the work runs or before",
        .timeLimit(.minutes(1))
    )
    func callerCancellation() async throws {
        // Only the caller's cancellation can end this work before the trait's minute.
        let caller = Task {
            try await TimeLimit.run(.seconds(600)) {
                var spins = 0
                while !Task.isCancelled { spins &+= 1 }
                return spins
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        guard case .finished = try await caller.value else {
            Issue.record("expected the work to end on the caller's cancellation, not to time out")
            return
        }
        let cancelledBefore = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await TimeLimit.run(.seconds(600)) { Task.isCancelled }
        }
        guard case .finished(true) = try await cancelledBefore.value else {
            Issue.record("expected the work to start cancelled")
            return
        }
    }

    @Test("one timer watches every limit: a short one set while a long one runs fires on time; finished work leaves no watch")
    func sharedTimer() async throws {
        // A watchdog of its own: other suites' pipelines use the shared one meanwhile.
        let watchdog = TimeLimit.Watchdog()
        let long = TimeLimit.Target()
        let short = TimeLimit.Target()
        let longWatch = watchdog.watch(long, for: TimeLimit.nanoseconds(.seconds(20)))
        _ = watchdog.watch(short, for: TimeLimit.nanoseconds(.milliseconds(100)))
        let clock = ContinuousClock()
        let start = clock.now
        // Not at the long one's deadline, 20 s away, for which the timer was armed first.
        while !short.state.withLock({ $0.expired }), clock.now - start < .seconds(10) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(short.finish())
        #expect(watchdog.watchCount == 1)
        for _ in 0..<200 { watchdog.release(watchdog.watch(TimeLimit.Target(), for: 5_000_000_000)) }
        #expect(watchdog.watchCount == 1)
        watchdog.release(longWatch)
        #expect(watchdog.watchCount == 0 && !long.finish())

        #expect(TimeLimit.nanoseconds(.seconds(-1)) == 0 && TimeLimit.nanoseconds(.seconds(Int64.max)) == .max)
        #expect(TimeLimit.nanoseconds(.milliseconds(1_500)) == 1_500_000_000)
    }
}
