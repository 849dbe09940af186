import Foundation
import Testing

extension EndToEnd {
    @Suite("The documented result format")
    struct ResultSchemaEndToEndTests {
        /// A Python that has `jsonschema` (installed by scripts/install-deps.sh).
        static func python() throws -> String {
            for candidate in ["/usr/bin/env python3", "/usr/bin/python3"] {
                let parts = candidate.split(separator: " ").map(String.init)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: parts[0])
                process.arguments = Array(parts.dropFirst()) + ["-c", "import jsonschema"]
                process.standardError = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                if process.terminationStatus == 0 { return candidate }
            }
            throw CancellationError()
        }

        func validate(schema: String, files: [URL]) throws -> (Int32, String) {
            let parts = try Self.python().split(separator: " ").map(String.init)
            return try DaemonHarness.capture(parts[0], Array(parts.dropFirst()) + [
                DaemonHarness.repository.appendingPathComponent("scripts/validate-json-schema.py").path,
                DaemonHarness.repository.appendingPathComponent(schema).path,
            ] + files.map(\.path))
        }

        @Test("results and error records match docs/result.schema.json and docs/error.schema.json")
        func schema() async throws {
            let harness = try DaemonHarness()
            try harness.writeConfig("""
                pipeline: [text, child]
                plugins:
                  child:
                    plugin: external
                    options:
                      command: [\(DaemonHarness.misbehavingPlugin), error]
                """)
            let daemon = try harness.start()
            try await harness.waitUntilStarted()
            let fixtures = DaemonHarness.fixtures
            for name in ["article.html", "article.json", "notes.md", "arabic-windows1256.txt", "english-utf16be.txt"] {
                try harness.drop(name, try Data(contentsOf: fixtures.appendingPathComponent(name)))
            }
            try harness.drop("trigger.txt", Data("this one will trigger a plugin error\n".utf8))
            try harness.drop("again.md", try Data(contentsOf: fixtures.appendingPathComponent("notes.md")))
            try harness.drop("broken.json", Data("{\"text\": 5}".utf8))
            try harness.drop("image.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]))
            try await harness.waitUntil("all inputs disposed") {
                harness.files(harness.outbox).count == 7 && harness.files(harness.failed).count == 4
            }
            #expect(try harness.result("trigger.txt.json")["status"] as? String == "partial")
            #expect(try harness.result("again.md.json")["duplicate_of"] is [String: Any])
            let results = harness.files(harness.outbox).map { harness.outbox.appendingPathComponent($0) }
            let resultCheck = try validate(schema: "docs/result.schema.json", files: results)
            #expect(resultCheck.0 == 0, "\(resultCheck.1)")
            #expect(resultCheck.1.contains("7 files checked"))
            let errors = harness.files(harness.failed).filter { $0.hasSuffix(".error.json") }.map { harness.failed.appendingPathComponent($0) }
            let errorCheck = try validate(schema: "docs/error.schema.json", files: errors)
            #expect(errorCheck.0 == 0, "\(errorCheck.1)")
            #expect(errorCheck.1.contains("2 files checked"))
            #expect(try await harness.stop(daemon) == 0)
        }
    }
}
