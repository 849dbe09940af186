import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    @Suite("Signals, reload and configuration errors")
    struct LifecycleEndToEndTests {
        @Test("SIGTERM during a burst: documents in flight finish, exit code 0, nothing half-done")
        func gracefulStop() async throws {
            let harness = try DaemonHarness()
            try harness.writeConfig(
                """
                workers: 3
                pipeline: [text, slow]
                plugins:
                  slow:
                    plugin: external
                    options:
                      command: [python3, \(DaemonHarness.misbehavingPlugin), slow]
                """)
            let daemon = try harness.start()
            try await harness.waitUntilStarted()
            for index in 0..<30 {
                try harness.drop("doc-\(index).txt", Data("document \(index)\n".utf8))
            }
            try await harness.waitUntil("some documents are in flight") { !harness.claimedFiles().isEmpty }
            #expect(try await harness.stop(daemon, signal: SIGTERM) == 0)
            #expect(harness.claimedFiles().isEmpty, "in-flight documents finished: \(harness.claimedFiles())")
            #expect(harness.temporaryFiles().isEmpty)
            let results = Set(harness.files(harness.outbox).map { String($0.dropLast(5)) })
            let processed = Set(harness.files(harness.processed))
            let waiting = Set(harness.files(harness.inbox))
            #expect(results == processed)
            #expect(!results.isEmpty)
            #expect(results.union(waiting).count == 30, "every input is either done or untouched in the inbox")
            #expect(results.isDisjoint(with: waiting))
            for name in results {
                #expect(try harness.result(name + ".json")["status"] as? String == "ok")
            }
            #expect(harness.log().contains("siftd stopped"))
        }

        @Test("SIGHUP applies a valid changed configuration and keeps the old one when the new one is invalid")
        func reload() async throws {
            let harness = try DaemonHarness()
            try harness.writeConfig("pipeline: [text]\n")
            let daemon = try harness.start()
            try await harness.waitUntilStarted()
            try harness.drop("before.txt", Data("before the reload\n".utf8))
            try await harness.waitUntil("first result") { harness.files(harness.outbox).contains("before.txt.json") }
            #expect((try harness.result("before.txt.json")["annotations"] as? [String: Any])?.keys.sorted() == ["counts", "scripts", "title"])

            try harness.writeConfig(
                """
                pipeline: [text, top]
                plugins:
                  top:
                    plugin: external
                    options:
                      command: [python3, \(DaemonHarness.repository.path)/examples/plugins/top_words.py]
                """)
            kill(daemon.processIdentifier, SIGHUP)
            try await harness.waitUntil("the reload is applied") { harness.log().contains("configuration reloaded") }
            try harness.drop("after.txt", Data("after after the reload\n".utf8))
            try await harness.waitUntil("second result") { harness.files(harness.outbox).contains("after.txt.json") }
            #expect(
                (try harness.result("after.txt.json")["annotations"] as? [String: Any])?.keys.sorted() == ["counts", "scripts", "title", "top_words"])

            try harness.writeConfig("pipeline: [text, top]\nworkres: 3\n")
            kill(daemon.processIdentifier, SIGHUP)
            try await harness.waitUntil("the reload is rejected") { harness.log().contains("configuration rejected") }
            #expect(harness.log().contains("unknown key 'workres'"))
            try harness.drop("kept.txt", Data("kept kept the old pipeline\n".utf8))
            try await harness.waitUntil("third result") { harness.files(harness.outbox).contains("kept.txt.json") }
            #expect(
                (try harness.result("kept.txt.json")["annotations"] as? [String: Any])?.keys.sorted() == ["counts", "scripts", "title", "top_words"])
            #expect(daemon.isRunning)
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test(
            "an invalid configuration stops start-up with exit code 78 and a message naming the key",
            arguments: [
                ("workers: lots\n", "'workers'"),
                ("pipeline: [text, nope]\n", "unknown plugin 'nope'"),
                (
                    "pipeline: [text]\nplugins:\n  text:\n    options:\n      max_title_length: 2\n",
                    "option 'max_title_length' must be integer 10...1000, got 2"
                ),
                (
                    "pipeline: [text, x]\nplugins:\n  x:\n    plugin: external\n    options:\n      command: [/nonexistent/plugin]\n",
                    "handshake with /nonexistent/plugin failed"
                ),
            ]
        )
        func invalidConfiguration(yaml: String, message: String) async throws {
            let harness = try DaemonHarness()
            try harness.writeConfig(yaml)
            let daemon = try harness.start()
            try await harness.waitUntil("siftd exits") { !daemon.isRunning }
            #expect(daemon.terminationStatus == 78)
            #expect(harness.log().contains(message), "\(harness.log())")
            #expect(!harness.log().contains("siftd started"))
        }
    }
}
