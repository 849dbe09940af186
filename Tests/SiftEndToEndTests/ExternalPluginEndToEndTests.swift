import Foundation
import Testing

extension EndToEnd {
    @Suite("External plugins under the daemon")
    struct ExternalPluginEndToEndTests {
        @Test(
            "a misbehaving plugin fails only its document; the daemon carries on and restarts the child",
            arguments: [("crash", "failed"), ("hang", "timeout"), ("garbage", "failed")]
        )
        func misbehaving(mode: String, status: String) async throws {
            let harness = try DaemonHarness()
            try harness.writeConfig(
                """
                workers: 1
                pipeline: [text, child]
                plugins:
                  child:
                    plugin: external
                    timeout_ms: 1000
                    options:
                      command: [\(DaemonHarness.misbehavingPlugin), \(mode)]
                """)
            let daemon = try harness.start()
            try await harness.waitUntilStarted()
            try harness.drop("1-before.txt", Data("an ordinary document\n".utf8))
            try await harness.waitUntil("first result") { harness.files(harness.outbox).count == 1 }
            try harness.drop("2-bad.txt", Data("this one will trigger it\n".utf8))
            try await harness.waitUntil("second result") { harness.files(harness.outbox).count == 2 }
            try harness.drop("3-after.txt", Data("another ordinary document\n".utf8))
            try await harness.waitUntil("third result") { harness.files(harness.outbox).count == 3 }

            func childReport(_ name: String) throws -> [String: Any] {
                let plugins = try #require(try harness.result(name)["plugins"] as? [[String: Any]])
                return try #require(plugins.first { $0["stage"] as? String == "child" })
            }
            #expect(try childReport("1-before.txt.json")["status"] as? String == "ok")
            #expect(try childReport("2-bad.txt.json")["status"] as? String == status)
            #expect(try harness.result("2-bad.txt.json")["status"] as? String == "partial")
            #expect(try childReport("3-after.txt.json")["status"] as? String == "ok")
            let annotations = { (name: String) throws -> Int? in
                ((try harness.result(name)["annotations"] as? [String: Any])?["echo"] as? [String: Any])?["pid"] as? Int
            }
            let before = try #require(try annotations("1-before.txt.json"))
            let after = try #require(try annotations("3-after.txt.json"))
            #expect(before != after, "the child was restarted")
            #expect(harness.log().contains("external plugin restarted"))
            #expect(harness.log().contains("plugin stderr: misbehaving plugin started in mode \(mode)"))
            try await harness.waitUntil("every input is moved on") { harness.files(harness.processed).count == 3 }
            #expect(daemon.isRunning)
            #expect(try await harness.stop(daemon) == 0)
        }
    }
}
