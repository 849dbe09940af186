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
        let inTime = try await TimeLimit.run(.seconds(10)) { 42 }
        guard case .finished(42) = inTime else {
            Issue.record("expected 42")
            return
        }
        await #expect(throws: SiftError.self) {
            _ = try await TimeLimit.run(.seconds(10)) { throw SiftError(.io, "inside") }
        }
    }
}
