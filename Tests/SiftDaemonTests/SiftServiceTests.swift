import Foundation
import InMemoryLogging
import Logging
import MetricsTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import SiftPluginAPI
import SiftSystemd
import Synchronization
import SystemPackage
import Testing

@testable import SiftDaemon

/// Holds documents in a stage until the test opens it, and tells which documents reached it.
final class Gate: Sendable {
    private struct State {
        var open = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var reached: [String] = []
    }

    private let state = Mutex(State())

    /// The documents that reached the gate, in order.
    var reached: [String] { state.withLock { $0.reached } }

    func pass(_ name: String) async {
        await withCheckedContinuation { continuation in
            let through = state.withLock { state in
                state.reached.append(name)
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if through { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// A daemon in this process, on a spool in a temporary directory, logging to memory.
struct InProcessDaemon {
    let directory: TemporaryDirectory
    let logs: InMemoryLogHandler
    let registry: PluginRegistry
    let service: SiftService
    /// What the service counted, as a metrics backend sees it.
    let metrics = TestMetrics()

    var spool: FilePath { directory.path.appending("spool") }
    var configFile: FilePath { directory.path.appending("siftd.yaml") }

    /// `yaml` holds what varies; the spool, instance, one worker and no settle time are given.
    init(_ yaml: String, registry: PluginRegistry) async throws {
        let directory = try TemporaryDirectory()
        self.directory = directory
        self.registry = registry
        let file = directory.path.appending("siftd.yaml")
        let loader = ConfigurationLoader(registry: registry, defaultPipeline: [])
        let load: SiftService.ConfigurationSource = {
            try await loader.load(file: file, defaultFile: "/nonexistent/siftd.yaml", environment: [:], overrides: [:])
        }
        try Self.write(yaml, spool: directory.path.appending("spool"), to: file)
        let handler = InMemoryLogHandler()
        logs = handler
        service = SiftService(
            configuration: try await load(), registry: registry, logger: Logger(label: "siftd") { _ in handler },
            notifier: SystemdNotifier(), metrics: DaemonMetrics(factory: metrics), reloadSignals: [], reload: load
        )
    }

    private static func write(_ yaml: String, spool: FilePath, to file: FilePath) throws {
        let text = "spool: \(spool)\ninstance: here\nworkers: 1\nsettle_ms: 0\n" + yaml
        try Data(text.utf8).write(to: URL(fileURLWithPath: file.string))
    }

    /// Replaces the configuration file (read again on reload).
    func rewriteConfiguration(_ yaml: String) throws {
        try Self.write(yaml, spool: spool, to: configFile)
    }

    /// Puts a complete file into the inbox, as a writer that renames it in would.
    func drop(_ name: String, _ text: String) throws {
        let temporary = spool.appending("inbox/.\(name).part")
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary.string))
        try FileManager.default.moveItem(atPath: temporary.string, toPath: spool.appending("inbox/\(name)").string)
    }

    func files(in subdirectory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool.appending(subdirectory).string)) ?? []).sorted()
    }

    /// How many lines a document's result file has.
    func lines(of name: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: spool.appending("outbox/\(name).json").string))
        return data.filter { $0 == 0x0A }.count
    }

    /// The annotation names of a document's result.
    func annotations(of name: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: spool.appending("outbox/\(name).json").string))
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(result["annotations"] as? [String: Any]).keys.sorted()
    }

    func messages(_ event: SiftEvent) -> [InMemoryLogHandler.Entry] {
        logs.entries.filter { $0.metadata[SiftEvent.metadataKey] == "\(event.messageID)" }
    }

    /// Waits until `condition` holds: the daemon works on tasks and threads of its own.
    func waitUntil(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try !condition() {
            if ContinuousClock.now > deadline {
                Issue.record("timed out waiting until \(what); log: \(logs.entries.map(\.message))", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Runs the service while `body` drives it, then shuts it down gracefully and waits for it.
    func running(_ body: (GracefulShutdownTestTrigger) async throws -> Void) async throws {
        let service = self.service
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                try await waitUntil("siftd is ready") { !messages(.daemonReady).isEmpty }
                try await body(trigger)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}

@Suite("The service in process: stopping, reloading, failing")
struct SiftServiceTests {
    @Test("graceful shutdown finishes the document in flight, takes no other, and returns")
    func gracefulShutdown() async throws {
        let gate = Gate()
        let registry = try PluginRegistry([
            TestPlugins.plugin("held", provides: ["held"]) { document in
                await gate.pass(document.name)
                return ["held": true]
            }
        ])
        let daemon = try await InProcessDaemon("pipeline: [held]\n", registry: registry)
        try await daemon.running { trigger in
            try daemon.drop("first.txt", "in flight at the signal")
            try await daemon.waitUntil("the first document is in the stage") { gate.reached == ["first.txt"] }
            try daemon.drop("second.txt", "waiting at the signal")
            trigger.triggerGracefulShutdown()
            try await daemon.waitUntil("siftd is stopping") { !daemon.messages(.daemonStopping).isEmpty }
            #expect(daemon.messages(.daemonStopping).first?.message.description.contains("finishing 1 document(s) in flight") == true)
            #expect(daemon.messages(.daemonStopped).isEmpty, "the document in flight holds up the stop")
            gate.open()
        }
        #expect(gate.reached == ["first.txt"])
        #expect(daemon.files(in: "outbox") == ["first.txt.json"])
        #expect(try daemon.annotations(of: "first.txt") == ["held"])
        #expect(daemon.files(in: "processed") == ["first.txt"])
        #expect(daemon.files(in: "inbox") == ["second.txt"], "the file not yet taken stays in the inbox")
        #expect(daemon.service.counters.snapshot.processed == 1)
        let stopped = try #require(daemon.messages(.daemonStopped).first)
        #expect(stopped.level == .notice)
        #expect(stopped.metadata["processed"] == "1")
    }

    @Test(
        "a reload with an invalid configuration keeps the running one and logs why; a valid one applies (pipeline, result format)"
    )
    func reload() async throws {
        let daemon = try await InProcessDaemon("pipeline: [upper]\n", registry: TestPlugins.registry)
        try await daemon.running { _ in
            try daemon.rewriteConfiguration("pipeline: [upper, length]\nworkres: 3\n")
            daemon.service.requestReload()
            try await daemon.waitUntil("the reload is rejected") { !daemon.messages(.configurationRejected).isEmpty }
            let rejected = try #require(daemon.messages(.configurationRejected).first)
            #expect(rejected.level == .error)
            #expect(rejected.message.description.contains("unknown key 'workres'"))
            try daemon.drop("kept.txt", "the old pipeline")
            try await daemon.waitUntil("the first result") { daemon.files(in: "outbox") == ["kept.txt.json"] }
            #expect(try daemon.annotations(of: "kept.txt") == ["upper"])
            #expect(try daemon.lines(of: "kept.txt") == 1)

            try daemon.rewriteConfiguration("pipeline: [upper, length]\nresult_format: pretty\n")
            daemon.service.requestReload()
            try await daemon.waitUntil("the reload is applied") { !daemon.messages(.configurationReloaded).isEmpty }
            try daemon.drop("new.txt", "the new pipeline")
            try await daemon.waitUntil("the second result") { daemon.files(in: "outbox").contains("new.txt.json") }
            #expect(try daemon.annotations(of: "new.txt") == ["length", "upper"])
            #expect(try daemon.lines(of: "new.txt") > 10)
        }
        #expect(daemon.messages(.configurationRejected).count == 1)
        #expect(daemon.messages(.configurationReloaded).count == 1)
    }

    @Test("documents, stage times and errors, bytes read and the queue are counted as metrics")
    func metrics() async throws {
        let daemon = try await InProcessDaemon(
            "pipeline: [upper, boom, needs-boom]\nplugins:\n  boom:\n    on_error: continue\n", registry: TestPlugins.registry)
        try await daemon.running { _ in
            try daemon.drop("one.txt", "first")
            try daemon.drop("two.txt", "second!")
            try daemon.drop("bad.txt", "")
            try await daemon.waitUntil("three documents") { daemon.files(in: "outbox").count + daemon.files(in: "failed").count >= 3 }
            // The queue gauges are sampled once a second.
            try await daemon.waitUntil("the queue is reported empty") {
                (try? daemon.metrics.expectGauge("siftd_inbox_pending").lastValue) == 0
                    && (try? daemon.metrics.expectGauge("siftd_claimed").lastValue) == 0
            }
        }
        let metrics = daemon.metrics
        #expect(try metrics.expectCounter("siftd_documents_total", [("outcome", "processed")]).totalValue == 2)
        #expect(try metrics.expectCounter("siftd_documents_total", [("outcome", "failed")]).totalValue == 1)
        #expect(try metrics.expectTimer("siftd_document_duration_seconds").values.count == 3)
        #expect(try metrics.expectTimer("siftd_stage_duration_seconds", [("stage", "upper")]).values.count == 2)
        #expect(try metrics.expectTimer("siftd_stage_duration_seconds", [("stage", "boom")]).values.count == 2)
        #expect(metrics.timers.filter { $0.label == "siftd_stage_duration_seconds" }.count == 2, "a skipped stage has no time")
        #expect(try metrics.expectCounter("siftd_stage_errors_total", [("stage", "boom"), ("kind", "failed")]).totalValue == 2)
        #expect(try metrics.expectCounter("siftd_stage_errors_total", [("stage", "needs-boom"), ("kind", "skipped")]).totalValue == 2)
        #expect(try metrics.expectCounter("siftd_bytes_read_total").totalValue == Int64("first".utf8.count + "second!".utf8.count))
        #expect(try metrics.expectGauge("siftd_inbox_pending").lastValue == 0)
        #expect(try metrics.expectGauge("siftd_claimed").lastValue == 0)
    }

    @Test("a part that fails stops the others and the service throws its error", .timeLimit(.minutes(1)))
    func failingPart() async throws {
        let daemon = try await InProcessDaemon("pipeline: [upper]\n", registry: TestPlugins.registry)
        let service = daemon.service
        let run = Task { try await service.run() }
        try await daemon.waitUntil("siftd is ready") { !daemon.messages(.daemonReady).isEmpty }
        try FileManager.default.removeItem(atPath: daemon.spool.appending("inbox").string)
        let error = await #expect(throws: SiftError.self) { try await run.value }
        #expect(error?.message.contains("the inbox directory was removed or moved") == true)
        #expect(daemon.messages(.daemonStopped).isEmpty, "not a clean stop")
    }
}
