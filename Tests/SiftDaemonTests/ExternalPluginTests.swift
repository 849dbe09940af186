import Foundation
import Logging
import SiftPluginAPI
import Testing

@testable import SiftDaemon

@Suite("External plugins", .serialized)
struct ExternalPluginTests {
    static let script = Fixtures.url("plugins/misbehaving.py").path
    static let example = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/plugins/top_words.py").path

    func pipeline(mode: String, timeout: Duration = .seconds(5), extra: [String: JSONValue] = [:]) async throws -> Pipeline {
        var options: [String: JSONValue] = ["command": [.string(Self.script), .string(mode)], "handshake_timeout_ms": 2000]
        options.merge(extra) { _, new in new }
        return try await PipelineBuilder(registry: try StandardPlugins.registry(), logger: Logger(label: "test")).build([
            StageConfiguration(name: "text"),
            StageConfiguration(name: "child", plugin: "external", options: options, timeout: timeout),
        ])
    }

    func document(_ text: String) -> Document {
        Document(id: UUID().uuidString, name: "d.txt", text: text, format: "text")
    }

    func childPID(_ run: Pipeline.Run) -> Int? {
        run.annotations["child"]?["echo"]?["pid"]?.intValue
    }

    @Test("the example plugin works as documented")
    func example() async throws {
        let pipeline = try await PipelineBuilder(registry: try StandardPlugins.registry(), logger: Logger(label: "test")).build([
            StageConfiguration(name: "top", plugin: "external", options: ["command": ["python3", .string(Self.example)]])
        ])
        defer { Task { await pipeline.shutdown() } }
        #expect(pipeline.stages[0].descriptor.provides == ["top_words"])
        let run = await pipeline.run(document("alpha beta alpha gamma alpha beta"))
        let top = try #require(run.annotations["top"]?["top_words"]?.arrayValue)
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
        #expect(run.annotations["child"]?["echo"]?["words"] == 3)
        await pipeline.shutdown()
        let error = await #expect(throws: SiftError.self) {
            try await PipelineBuilder(registry: try StandardPlugins.registry(), logger: Logger(label: "test")).build([
                StageConfiguration(name: "child", plugin: "external", options: ["command": [.string(Self.script), "ok"]])
            ])
        }
        #expect(error?.message.contains("requires 'counts'") == true)
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
            try await PipelineBuilder(registry: try StandardPlugins.registry(), logger: Logger(label: "test")).build([
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
        #expect(Set(runs.compactMap { $0.annotations["child"]?["echo"]?["words"]?.intValue }) == Set(1...20))
        await pipeline.shutdown()
    }
}
