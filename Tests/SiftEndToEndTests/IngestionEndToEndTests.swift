import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    @Suite("Picking files up")
    struct IngestionEndToEndTests {
        @Test("a backlog larger than max_queued is processed part by part, every file once; ready comes before the listing")
        func backlog() async throws {
            let harness = try DaemonHarness()
            let names = (0..<60).map { String(format: "backlog-%02d.txt", $0) }
            for name in names {
                try Data("waiting \(name)\n".utf8).write(to: harness.inbox.appendingPathComponent(name))
            }
            try harness.writeConfig("pipeline: [text]\nmax_queued: 8\nworkers: 2\n")
            let daemon = try harness.start(environment: ["SIFTD_SETTLE_MS": "0"])
            try await harness.waitUntil("sixty results") { harness.files(harness.outbox).count == names.count }
            #expect(harness.files(harness.outbox) == names.map { $0 + ".json" })
            #expect(harness.files(harness.processed) == names)
            #expect(harness.files(harness.inbox).isEmpty)
            let log = harness.log()
            #expect(log.components(separatedBy: "document accepted").count - 1 == names.count)
            let ready = try #require(log.range(of: "siftd ready"))
            #expect(!log[..<ready.lowerBound].contains("document accepted"), "start-up did not wait for the backlog")
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test("files present before start-up, renamed in, and written slowly in place are each processed once, complete")
        func pickUp() async throws {
            let harness = try DaemonHarness()
            try Data("present before start-up\n".utf8).write(to: harness.inbox.appendingPathComponent("early.txt"))
            // The writers pause 400 ms between chunks: a settle time well above that keeps the test
            // honest on a loaded machine, where a pause can stretch.
            let daemon = try harness.start(environment: ["SIFTD_SETTLE_MS": "2500"])
            try await harness.waitUntilStarted()

            try harness.drop("renamed.txt", Data("dropped by rename\n".utf8))

            // One writer keeps the file open across chunks; the other reopens it for each chunk.
            let chunks = (1...6).map { "chunk \($0) of a slow writer. " }
            let heldOpen = harness.inbox.appendingPathComponent("held-open.txt")
            let reopened = harness.inbox.appendingPathComponent("reopened.txt")
            let handle = FileHandle(fileDescriptor: open(heldOpen.path, O_WRONLY | O_CREAT | O_EXCL, 0o644), closeOnDealloc: true)
            for chunk in chunks {
                try handle.write(contentsOf: Data(chunk.utf8))
                let appender = open(reopened.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                _ = chunk.withCString { write(appender, $0, strlen($0)) }
                close(appender)
                try await Task.sleep(for: .milliseconds(400))
                #expect(!FileManager.default.fileExists(atPath: harness.outbox.appendingPathComponent("held-open.txt.json").path))
                #expect(!FileManager.default.fileExists(atPath: harness.outbox.appendingPathComponent("reopened.txt.json").path))
            }
            try await Task.sleep(for: .milliseconds(1000))
            // Still open for writing: not taken, however long it has been quiet.
            #expect(!FileManager.default.fileExists(atPath: harness.outbox.appendingPathComponent("held-open.txt.json").path))
            try handle.close()

            let expected = ["early.txt.json", "held-open.txt.json", "renamed.txt.json", "reopened.txt.json"]
            try await harness.waitUntil("four results") { harness.files(harness.outbox) == expected }
            let full = chunks.joined()
            #expect(try harness.result("held-open.txt.json")["text"] as? String == full)
            #expect(try harness.result("reopened.txt.json")["text"] as? String == full)
            #expect(try harness.result("early.txt.json")["text"] as? String == "present before start-up\n")
            try await Task.sleep(for: .milliseconds(1500))
            #expect(harness.files(harness.outbox) == expected, "nothing is processed twice")
            #expect(harness.files(harness.processed) == ["early.txt", "held-open.txt", "renamed.txt", "reopened.txt"])
            #expect(harness.files(harness.inbox).isEmpty)
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test("bad inputs end in failed/ with a reason, good ones in any encoding succeed, and the daemon keeps running")
        func badInputs() async throws {
            let harness = try DaemonHarness()
            let daemon = try harness.start(environment: ["SIFTD_MAX_FILE_BYTES": "20000"])
            try await harness.waitUntilStarted()
            let fixtures = DaemonHarness.fixtures
            try harness.drop("garbage.bin", Data((0..<4096).map { UInt8(($0 * 37 + 11) % 256) }))
            try harness.drop("garbage.txt", try Data(contentsOf: fixtures.appendingPathComponent("garbage.txt")))
            try harness.drop("invalid.txt", try Data(contentsOf: fixtures.appendingPathComponent("invalid-utf8.txt")))
            try harness.drop("empty.txt", Data())
            try harness.drop("oversize.txt", Data(repeating: 0x61, count: 30_000))
            try FileManager.default.createSymbolicLink(
                atPath: harness.inbox.appendingPathComponent("passwd.txt").path, withDestinationPath: "/etc/passwd"
            )
            try harness.drop("arabic-1256.txt", try Data(contentsOf: fixtures.appendingPathComponent("arabic-windows1256.txt")))
            try harness.drop("arabic-utf16.txt", try Data(contentsOf: fixtures.appendingPathComponent("arabic-utf16le.txt")))
            try harness.drop("page.html", try Data(contentsOf: fixtures.appendingPathComponent("article.html")))

            let failures: [String: String] = [
                "garbage.bin": "unsupported format '.bin'", "garbage.txt": "binary content", "invalid.txt": "invalid UTF-8",
                "empty.txt": "the file is empty", "oversize.txt": "more than the limit of 20000",
                "passwd.txt": "symbolic link",
            ]
            try await harness.waitUntil("all inputs disposed") {
                harness.files(harness.failed).count == failures.count * 2 && harness.files(harness.outbox).count == 3
            }
            for (name, reason) in failures {
                let record = try #require(
                    try JSONSerialization.jsonObject(with: Data(contentsOf: harness.failed.appendingPathComponent("\(name).error.json")))
                        as? [String: Any]
                )
                #expect((record["message"] as? String)?.contains(reason) == true, "\(name): \(record["message"] ?? "")")
                #expect(record["stage"] as? String == "ingest")
                #expect(harness.files(harness.failed).contains(name))
            }
            // The link itself was set aside; its target was never read or touched.
            let attributes = try FileManager.default.attributesOfItem(atPath: harness.failed.appendingPathComponent("passwd.txt").path)
            #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)

            let arabic = try harness.result("arabic-1256.txt.json")
            #expect((arabic["source"] as? [String: Any])?["encoding"] as? String == "windows-1256")
            #expect((arabic["text"] as? String)?.contains("حلف شمال الأطلسي") == true)
            let utf16 = try harness.result("arabic-utf16.txt.json")
            #expect((utf16["source"] as? [String: Any])?["encoding"] as? String == "utf-16le")
            let page = try harness.result("page.html.json")
            #expect(page["title"] as? String == "الناتو والوفاق يبحثان الأوضاع في ليبيا")
            #expect((page["text"] as? String)?.contains("فائز السراج") == true)
            #expect((page["text"] as? String)?.contains("Twitter Post") == false)

            try harness.drop("after.txt", Data("still running\n".utf8))
            try await harness.waitUntil("a later file is processed") { harness.files(harness.outbox).contains("after.txt.json") }
            #expect(daemon.isRunning)
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test("polling mode picks files up without inotify")
        func polling() async throws {
            let harness = try DaemonHarness()
            let daemon = try harness.start(environment: ["SIFTD_WATCH": "polling", "SIFTD_POLL_INTERVAL_MS": "200", "SIFTD_SETTLE_MS": "1500"])
            try await harness.waitUntilStarted()
            #expect(harness.log().contains("watch=polling"))
            try harness.drop("polled.txt", Data("found by listing\n".utf8))
            try await harness.waitUntil("the renamed file is processed") { harness.files(harness.outbox).contains("polled.txt.json") }
            // Written in place in two parts, closer together than the settle time.
            let slow = harness.inbox.appendingPathComponent("slow.txt")
            try Data("first half, ".utf8).write(to: slow)
            try await Task.sleep(for: .milliseconds(120))
            let handle = try FileHandle(forWritingTo: slow)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("second half".utf8))
            try handle.close()
            try await harness.waitUntil("the file written in place is processed") { harness.files(harness.outbox).contains("slow.txt.json") }
            #expect(try harness.result("slow.txt.json")["text"] as? String == "first half, second half")
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test("a result that cannot be written leaves the input claimed, and it is retried until it can")
        func deferredResult() async throws {
            let harness = try DaemonHarness()
            let daemon = try harness.start(environment: ["SIFTD_RESCAN_INTERVAL_MS": "300"])
            try await harness.waitUntilStarted()
            // The outbox disappears behind siftd's back and a plain file takes its place.
            try FileManager.default.removeItem(at: harness.outbox)
            try Data("not a directory".utf8).write(to: harness.outbox)
            try harness.drop("patient.txt", Data("waiting for an outbox\n".utf8))
            try await harness.waitUntil("the write fails") { harness.log().contains("cannot write the result") }
            #expect(harness.claimedFiles().count == 1)
            #expect(harness.files(harness.failed).isEmpty, "an output problem is not the document's fault")
            try FileManager.default.removeItem(at: harness.outbox)
            try FileManager.default.createDirectory(at: harness.outbox, withIntermediateDirectories: false)
            try await harness.waitUntil("the retry succeeds") { harness.files(harness.outbox) == ["patient.txt.json"] }
            #expect(harness.log().contains("retrying 1 document(s)"))
            try await harness.waitUntil("the input is moved on") { harness.files(harness.processed) == ["patient.txt"] }
            #expect(harness.claimedFiles().isEmpty)
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test("the example inputs (HTML, JSON, Markdown, Windows-1256) go through the full pipeline")
        func exampleInputs() async throws {
            let harness = try DaemonHarness()
            let inputs = DaemonHarness.repository.appendingPathComponent("examples/inputs")
            // Each shows a format: how it is read, and the web boilerplate it carries.
            let expected: [String: (format: String, encoding: String, boilerplate: [String])] = [
                "marsad.json": ("json", "utf-8", []),
                "nafidha.md": ("markdown", "utf-8", ["- مقالات ذات صلة", "- زر الذهاب إلى الأعلى"]),
                "sahel-post.html": ("html", "utf-8", []),
                "tripoli-herald.txt": ("text", "windows-1256", ["شارك هذا المقال", "Twitter Post", "اترك تعليقاً"]),
            ]
            #expect(try FileManager.default.contentsOfDirectory(atPath: inputs.path).sorted() == expected.keys.sorted())
            for name in expected.keys.sorted() {
                try harness.drop(name, try Data(contentsOf: inputs.appendingPathComponent(name)))
            }
            let daemon = try harness.start()
            try await harness.waitUntil("four results") { harness.files(harness.outbox).count == 4 }
            for (name, facts) in expected.sorted(by: { $0.key < $1.key }) {
                let result = try harness.result(name + ".json")
                #expect(result["status"] as? String == "ok", "\(name)")
                let source = try #require(result["source"] as? [String: Any])
                #expect(source["format"] as? String == facts.format, "\(name)")
                #expect(source["encoding"] as? String == facts.encoding, "\(name)")
                let annotations = try #require(result["annotations"] as? [String: Any])
                let language = try #require(annotations["language"] as? [String: Any])
                #expect(language["code"] as? String == "ar", "\(name)")
                let content = try #require(annotations["content"] as? [String: Any])
                let boilerplate = try #require(content["boilerplate"] as? [[String: Any]])
                #expect(boilerplate.compactMap { $0["text"] as? String } == facts.boilerplate, "\(name)")
                // Every example reports the call between the two men; both are people.
                let entities = try #require(annotations["entities"] as? [String: Any])
                let distinct = try #require(entities["distinct"] as? [[String: Any]])
                let people = distinct.filter { $0["type"] as? String == "PERS" }.compactMap { $0["canonical"] as? String }
                #expect(people.contains { $0.hasPrefix("ستولتنب") }, "\(name): \(people)")
                #expect(people.contains { $0.hasSuffix("السراج") }, "\(name): \(people)")
                let summary = try #require(annotations["summary"] as? [String: Any])
                let summaryText = try #require(summary["text"] as? String)
                #expect((summary["sentences"] as? [[String: Any]])?.count == 3, "\(name)")
                for line in facts.boilerplate {
                    #expect(!summaryText.contains(line), "\(name): \(line)")
                }
            }
            #expect(harness.files(harness.failed).isEmpty)
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test("the same content twice is flagged as a duplicate of the first")
        func duplicates() async throws {
            let harness = try DaemonHarness()
            let daemon = try harness.start()
            try await harness.waitUntilStarted()
            try harness.drop("first.txt", Data("the very same words\n".utf8))
            try await harness.waitUntil("first result") { harness.files(harness.outbox).contains("first.txt.json") }
            try harness.drop("second.txt", Data("the very same words\n".utf8))
            try await harness.waitUntil("second result") { harness.files(harness.outbox).contains("second.txt.json") }
            let first = try harness.result("first.txt.json")
            let duplicate = try #require(try harness.result("second.txt.json")["duplicate_of"] as? [String: Any])
            #expect(duplicate["document_id"] as? String == first["document_id"] as? String)
            #expect(duplicate["result"] as? String == "first.txt.json")
            #expect(try harness.result("first.txt.json")["duplicate_of"] is NSNull)
            #expect(harness.log().contains("duplicate detected"))
            // A third copy (a short name after a longer one) points at the first too: a duplicate
            // leaves the first's marker as it is.
            try harness.drop("third-copy-with-a-longer-name.txt", Data("the very same words\n".utf8))
            try await harness.waitUntil("third result") { harness.files(harness.outbox).contains("third-copy-with-a-longer-name.txt.json") }
            try harness.drop("4.txt", Data("the very same words\n".utf8))
            try await harness.waitUntil("fourth result") { harness.files(harness.outbox).contains("4.txt.json") }
            for later in ["third-copy-with-a-longer-name.txt.json", "4.txt.json"] {
                let reference = try #require(try harness.result(later)["duplicate_of"] as? [String: Any])
                #expect(reference["document_id"] as? String == first["document_id"] as? String)
                #expect(reference["result"] as? String == "first.txt.json")
            }
            #expect(try await harness.stop(daemon) == 0)
        }
    }
}
