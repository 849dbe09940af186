import Foundation
import Logging
import SiftPluginAPI
import Synchronization
import Testing

@testable import SiftDaemon

@Suite("External plugins", .serialized)
struct ExternalPluginTests {
    static let script = Fixtures.url("plugins/misbehaving.py").path
    static let example = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/plugins/top_words.py").path

    func pipeline(
        mode: String, timeout: Duration = .seconds(5), extra: [String: JSONValue] = [:], logger: Logger = Logger(label: "test")
    ) async throws -> Pipeline {
        var options: [String: JSONValue] = ["command": [.string(Self.script), .string(mode)], "handshake_timeout_ms": 2000]
        options.merge(extra) { _, new in new }
        return try await PipelineBuilder(registry: try TestPlugins.standard(), logger: logger).build([
            StageConfiguration(name: "text"),
            StageConfiguration(name: "child", plugin: "external", options: options, timeout: timeout),
        ])
    }

    func document(_ text: String) -> Document {
        Document(id: UUID().uuidString, name: "d.txt", text: text, format: "text")
    }

    func childPID(_ run: Pipeline.Run) -> Int? {
        run.annotations["echo"]?["pid"]?.intValue
    }

    @Test("the example plugin works as documented")
    func example() async throws {
        let pipeline = try await PipelineBuilder(registry: try TestPlugins.standard(), logger: Logger(label: "test")).build([
            // The handshake's time is not under test; other suites may be keeping the machine busy.
            StageConfiguration(
                name: "top", plugin: "external", options: ["command": ["python3", .string(Self.example)], "handshake_timeout_ms": 60_000]
            )
        ])
        defer { Task { await pipeline.shutdown() } }
        #expect(pipeline.stages[0].descriptor.provides == ["top_words"])
        let run = await pipeline.run(document("alpha beta alpha gamma alpha beta"))
        let top = try #require(run.annotations["top_words"]?.arrayValue)
        #expect(top.first?["word"] == "alpha")
        #expect(top.first?["count"] == 3)
        await pipeline.shutdown()
    }

    @Test("the child declares its requirements in the handshake, and they are checked")
    func declaredRequirements() async throws {
        let pipeline = try await pipeline(mode: "ok")
        #expect(pipeline.stages[1].descriptor.requires == ["counts"])
        #expect(pipeline.stages[1].descriptor.version == "0.1")
        let run = await pipeline.run(document("three small words"))
        #expect(run.annotations["echo"]?["words"] == 3)
        await pipeline.shutdown()
        let error = await #expect(throws: SiftError.self) {
            try await PipelineBuilder(registry: try TestPlugins.standard(), logger: Logger(label: "test")).build([
                StageConfiguration(name: "child", plugin: "external", options: ["command": [.string(Self.script), "ok"]])
            ])
        }
        #expect(error?.message.contains("requires 'counts'") == true)
    }

    @Test("the child reads earlier capabilities at annotations.<capability>, and what it returns is stored the same way")
    func flatAnnotations() async throws {
        let pipeline = try await pipeline(mode: "ok")
        let run = await pipeline.run(document("four words of text"))
        await pipeline.shutdown()
        #expect(run.annotations["counts"]?["words"] == 4)
        #expect(run.annotations["echo"]?["words"] == 4, "the child found the word count at annotations.counts.words")
        #expect(run.providers["echo"] == "child")
        #expect(run.annotations["child"] == nil, "annotations are keyed by capability, not by stage")
    }

    @Test("a member the child does not declare fails its document's stage, and nothing of that answer is kept")
    func strayMember() async throws {
        let pipeline = try await pipeline(mode: "stray")
        let fine = await pipeline.run(document("fine"))
        let bad = await pipeline.run(document("please trigger it"))
        await pipeline.shutdown()
        #expect(fine.reports[1].status == "ok")
        #expect(bad.reports[1].status == "failed")
        #expect(bad.reports[1].error?.code == "undeclared_provision")
        #expect(bad.reports[1].error?.message.contains("stray") == true, "\(bad.reports[1].error?.message ?? "")")
        #expect(bad.annotations["stray"] == nil)
        #expect(bad.annotations["echo"] == nil)
    }

    @Test("a child that declares a capability an earlier stage provides is a configuration error")
    func duplicateCapability() async throws {
        let error = await #expect(throws: SiftError.self) { try await pipeline(mode: "ok+provides:scripts") }
        #expect(error?.code == .invalidPipeline)
        #expect(
            error?.message.contains("stage 'child' (plugin 'external') provides 'scripts' as stage 'text' does already") == true,
            "\(error?.message ?? "")"
        )
    }

    @Test(
        "a misbehaving child fails only its document, and is restarted for the next",
        arguments: [
            ("hang", "timeout", "timed_out"),
            ("garbage", "failed", "protocol_violation"),
            ("crash", "failed", "child_failed"),
            ("huge", "failed", "protocol_violation"),
        ]
    )
    func misbehaviour(mode: String, status: String, code: String) async throws {
        let pipeline = try await pipeline(mode: mode, timeout: .seconds(1), extra: ["max_response_bytes": 1_000_000])
        let before = await pipeline.run(document("fine"))
        let firstPID = try #require(childPID(before))
        let bad = await pipeline.run(document("please trigger it"))
        #expect(bad.reports[1].status == status)
        #expect(bad.reports[1].error?.code == code, "\(bad.reports[1].error?.message ?? "")")
        #expect(bad.reports[0].status == "ok")
        let after = await pipeline.run(document("fine again"))
        #expect(after.reports[1].status == "ok")
        let secondPID = try #require(childPID(after))
        #expect(secondPID != firstPID)
        #expect(kill(pid_t(firstPID), 0) != 0, "the old child must be gone")
        await pipeline.shutdown()
    }

    @Test("an error reply fails the document's stage without restarting the child")
    func errorReply() async throws {
        let pipeline = try await pipeline(mode: "error")
        let first = await pipeline.run(document("fine"))
        let bad = await pipeline.run(document("trigger"))
        #expect(bad.reports[1].error == ResultRecord.ErrorReport(code: "processing_failed", message: "cannot handle this one"))
        let after = await pipeline.run(document("fine"))
        #expect(childPID(after) == childPID(first))
        await pipeline.shutdown()
    }

    @Test(
        "a child that cannot start or greet is a configuration error",
        arguments: [
            ("bad-hello", "protocol 99"),
            ("silent-hello", "no answer within 2 s"),
        ]
    )
    func badHandshake(mode: String, message: String) async throws {
        let error = await #expect(throws: SiftError.self) { try await pipeline(mode: mode) }
        #expect(error?.code == .invalidPipeline)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test("a missing program is a configuration error naming it")
    func missingProgram() async throws {
        let error = await #expect(throws: SiftError.self) {
            try await PipelineBuilder(registry: try TestPlugins.standard(), logger: Logger(label: "test")).build([
                StageConfiguration(name: "child", plugin: "external", options: ["command": ["/nonexistent/plugin"]])
            ])
        }
        #expect(error?.message.contains("handshake with /nonexistent/plugin failed") == true, "\(error?.message ?? "")")
    }

    @Test("documents from several workers are answered in turn by one child")
    func concurrentRequests() async throws {
        let pipeline = try await pipeline(mode: "ok")
        let runs = await withTaskGroup(of: Pipeline.Run.self) { group in
            for index in 0..<20 {
                group.addTask { await pipeline.run(document(String(repeating: "word ", count: index + 1))) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(runs.allSatisfy { $0.isComplete })
        #expect(Set(runs.compactMap { $0.annotations["echo"]?["words"]?.intValue }) == Set(1...20))
        await pipeline.shutdown()
    }

    /// Runs `count` documents at once through `pipeline`.
    func runConcurrently(_ pipeline: Pipeline, count: Int) async -> [Pipeline.Run] {
        await withTaskGroup(of: Pipeline.Run.self) { group in
            for index in 0..<count {
                group.addTask { await pipeline.run(document("document \(index)")) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("time spent waiting for the busy child does not count against a document's timeout")
    func waitingIsNotTimed() async throws {
        // 8 documents of 0.3 s each: the last waits 2.1 s for the child, beyond the 1.5 s timeout.
        let pipeline = try await pipeline(mode: "slow", timeout: .milliseconds(1500))
        let first = try #require(childPID(await pipeline.run(document("warm up"))))
        let runs = await runConcurrently(pipeline, count: 8)
        #expect(runs.map { $0.reports[1].status } == Array(repeating: "ok", count: 8), "\(runs.map { $0.reports[1].error?.message ?? "ok" })")
        #expect(Set(runs.compactMap(childPID)) == [first], "the child was never restarted")
        await pipeline.shutdown()
    }

    @Test("a document cancelled while waiting for the child leaves the child alone")
    func cancelledWhileWaiting() async throws {
        let logs = LogCapture()
        // The busy document takes 3 s: the waiting one is surely still queued when it is cancelled,
        // even when a loaded machine stretches the 200 ms pause below.
        let pipeline = try await pipeline(mode: "slow:3", timeout: .seconds(20), logger: logs.logger)
        let first = try #require(childPID(await pipeline.run(document("warm up"))))
        let busy = Task { await pipeline.run(document("the busy one")) }
        try await logs.waitFor("processing: the busy one")
        let waiting = Task { await pipeline.run(document("the waiting one")) }
        try await Task.sleep(for: .milliseconds(200))
        waiting.cancel()
        #expect(await waiting.value.reports[1].status == "failed")
        #expect(childPID(await busy.value) == first)
        #expect(childPID(await pipeline.run(document("after"))) == first)
        #expect(!logs.lines.contains { $0.contains("processing: the waiting one") })
        await pipeline.shutdown()
    }

    @Test("processes: 2 runs two children and hands each document to a free one")
    func twoProcesses() async throws {
        let pipeline = try await pipeline(mode: "slow", timeout: .seconds(10), extra: ["processes": 2])
        let runs = await runConcurrently(pipeline, count: 8)
        #expect(runs.allSatisfy { $0.isComplete })
        let pids = Set(runs.compactMap(childPID))
        #expect(pids.count == 2, "\(pids)")
        await pipeline.shutdown()
        for pid in pids {
            #expect(kill(pid_t(pid), 0) != 0, "every child is stopped")
        }
    }

    @Test("with several processes, one that crashes is restarted alone")
    func independentRestart() async throws {
        let pipeline = try await pipeline(mode: "slow:1+crash", timeout: .seconds(10), extra: ["processes": 2])
        let before = Set(await runConcurrently(pipeline, count: 4).compactMap(childPID))
        #expect(before.count == 2)
        // Alone, a document goes to the first process.
        let bad = await pipeline.run(document("please trigger it"))
        #expect(bad.reports[1].error?.code == "child_failed")
        let runs = await runConcurrently(pipeline, count: 4)
        #expect(runs.allSatisfy { $0.isComplete })
        let after = Set(runs.compactMap(childPID))
        #expect(after.count == 2)
        #expect(before.intersection(after).count == 1, "before \(before), after \(after)")
        await pipeline.shutdown()
    }

    @Test("processes must be between 1 and 64", arguments: [0, 65])
    func processesOutOfRange(processes: Int) async throws {
        let error = await #expect(throws: SiftError.self) {
            try await pipeline(mode: "ok", extra: ["processes": .int(processes)])
        }
        #expect(error?.message.contains("1...64") == true, "\(error?.message ?? "")")
    }

    @Test("a 1 MiB stderr line is cut, and stderr is still drained and forwarded after it")
    func longStderrLine() async throws {
        let logs = LogCapture()
        let pipeline = try await pipeline(mode: "long-stderr", timeout: .seconds(10), logger: logs.logger)
        let first = await pipeline.run(document("please trigger it"))
        #expect(first.reports[1].status == "ok", "\(first.reports[1].error?.message ?? "")")
        let second = await pipeline.run(document("please trigger it again"))
        #expect(second.reports[1].status == "ok", "\(second.reports[1].error?.message ?? "")")
        #expect(childPID(first) == childPID(second))
        await pipeline.shutdown()  // the child's stderr has been read to its end
        let cut = logs.lines.filter { $0.hasPrefix("plugin stderr: xxxx") }
        #expect(cut.count == 2)
        #expect(cut.allSatisfy { $0.hasSuffix("… (\((1 << 20) - StderrLines.maxLineBytes) bytes cut)") }, "\(cut.map { $0.suffix(40) })")
        #expect(cut.allSatisfy { $0.utf8.count < StderrLines.maxLineBytes + 100 })
        #expect(logs.lines.filter { $0 == "plugin stderr: after the long line" }.count == 2)
    }

    @Test("a cut stderr line ends on a whole character; forwarding is 200 lines at once, then 100 a second")
    func stderrLines() {
        let start = ContinuousClock.now
        var lines = StderrLines(now: start)
        let long = Array(repeating: UInt8(ascii: "a"), count: StderrLines.maxLineBytes - 1) + Array("é and more\n".utf8)
        let cut = long.withUnsafeBytes { lines.consume($0, at: start) }
        #expect(cut == [String(repeating: "a", count: StderrLines.maxLineBytes - 1) + "… (11 bytes cut)"])
        let many = Array((0..<300).map { "line \($0)\n" }.joined().utf8)
        #expect(many.withUnsafeBytes { lines.consume($0, at: start) }.count == 199)
        #expect(lines.droppedSummary() == "101 lines dropped (more than 100 a second)")
        #expect(lines.droppedSummary() == nil)
        #expect(many.withUnsafeBytes { lines.consume($0, at: start + .seconds(1)) }.count == 100)
        let partial = Array("no newline".utf8)
        _ = partial.withUnsafeBytes { lines.consume($0, at: start + .seconds(2)) }
        #expect(lines.finish(at: start + .seconds(2)) == "no newline")
        #expect(lines.droppedSummary() == "200 lines dropped (more than 100 a second)")
    }

    @Test("stderr spam is rate-limited, and the dropped lines are counted in the log")
    func stderrSpam() async throws {
        let logs = LogCapture()
        let clock = ContinuousClock()
        let start = clock.now
        let pipeline = try await pipeline(mode: "spam", timeout: .seconds(30), logger: logs.logger)
        let run = await pipeline.run(document("please trigger it"))
        #expect(run.reports[1].status == "ok", "\(run.reports[1].error?.message ?? "")")
        await pipeline.shutdown()
        let elapsed = clock.now - start
        let forwarded = logs.lines.filter { $0.hasPrefix("plugin stderr: spam ") }.count
        let dropped = logs.lines.compactMap { line -> Int? in
            guard line.hasPrefix("plugin stderr: "), line.contains(" dropped (more than ") else { return nil }
            return Int(line.dropFirst("plugin stderr: ".count).prefix { $0.isNumber })
        }
        // The bucket allows a burst of 200 lines, then 100 a second (the hello's line included).
        let allowed = 200 + Int(elapsed / .seconds(1) * 100) + 1
        #expect(forwarded <= allowed, "\(forwarded) lines forwarded in \(elapsed)")
        #expect(!dropped.isEmpty)
        #expect(forwarded + dropped.reduce(0, +) == 30000, "every line is either forwarded or counted")
    }
}

/// Keeps every message logged through ``logger``, for tests of what is logged.
final class LogCapture: Sendable {
    private let messages = Mutex<[String]>([])

    /// The messages so far, in order.
    var lines: [String] { messages.withLock { $0 } }

    /// A logger (at every level) whose messages are kept.
    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Waits until a message contains `text`; fails after a generous minute.
    func waitFor(_ text: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !lines.contains(where: { $0.contains(text) }) {
            guard ContinuousClock.now < deadline else {
                throw PluginError(.timedOut, "nothing logged contains \(text.debugDescription)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.messages.withLock { $0.append(event.message.description) }
        }
    }
}
