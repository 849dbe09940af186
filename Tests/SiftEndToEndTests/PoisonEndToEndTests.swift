import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real daemon against inputs that crash, stall or confuse: one bad document costs that
/// document, never the service.
@Suite("End to end: poison documents", .serialized)
struct PoisonEndToEndTests {
    @Test("a document that kills the process is quarantined after two deaths, and the documents behind it are processed")
    func crashQuarantine() async throws {
        let harness = try DaemonHarness()
        try harness.writeConfig(
            """
            workers: 2
            pipeline: [text, fault]
            """)
        for index in 0..<6 { try harness.drop("before-\(index).txt", Data("a good document number \(index)".utf8)) }
        try harness.drop("poison.txt", Data("this one says ABORT-SIFTD to the fault plugin".utf8))
        for index in 0..<6 { try harness.drop("after-\(index).txt", Data("another good document number \(index)".utf8)) }

        // What systemd's Restart=on-failure does: start it again whenever it dies.
        var deaths = 0
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        var process = try harness.start(binary: DaemonHarness.faultInjectionBinary)
        while harness.files(harness.outbox).count < 12 || harness.files(harness.failed).count < 2 {
            #expect(clock.now < deadline, "log:\n\(harness.log().suffix(3000))")
            if clock.now > deadline { break }
            if !process.isRunning {
                #expect(process.terminationReason == .uncaughtSignal)
                deaths += 1
                #expect(deaths <= 2, "the daemon died \(deaths) times")
                if deaths > 2 { break }
                process = try harness.start(binary: DaemonHarness.faultInjectionBinary)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await harness.stop(process) == 0)
        #expect(deaths == 2)
        #expect(harness.files(harness.failed) == ["poison.txt", "poison.txt.error.json"])
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: harness.failed.appendingPathComponent("poison.txt.error.json"))) as? [String: Any]
        )
        #expect(record["code"] as? String == "crashed")
        #expect((record["message"] as? String)?.contains("siftd crashed while processing this document") == true)
        #expect(harness.files(harness.outbox).count == 12)
        #expect(harness.files(harness.inbox).isEmpty)
        #expect(harness.claimedFiles().isEmpty)
        #expect(harness.log().contains("in flight when siftd died, retried alone first"))
        // The quarantine has a journal entry of its own: SiftEvent.documentQuarantined's MESSAGE_ID.
        #expect(harness.log().contains("message_id=cf921d3c25864abeacc01b3f3f4522e1"))
    }

    /// Writes `bytes` into the inbox under a name given as raw bytes (it may not be UTF-8).
    func dropRaw(_ harness: DaemonHarness, name: [UInt8], _ bytes: [UInt8]) throws {
        let temporary = harness.inbox.appendingPathComponent(".raw.part")
        try Data(bytes).write(to: temporary)
        let target = Array(harness.inbox.path.utf8) + [UInt8(ascii: "/")] + name + [0]
        let renamed = target.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { rename(temporary.path, $0.baseAddress!) }
        }
        #expect(renamed == 0)
    }

    @Test("forty good documents among poison: the daemon never exits, every good one has its result, every bad one a disposition")
    func goodAmongPoison() async throws {
        let harness = try DaemonHarness()
        try harness.writeConfig(
            """
            workers: 2
            default_timeout_ms: 3000
            ingest_timeout_ms: 3000
            """)
        let seeds = try FileManager.default.contentsOfDirectory(atPath: DaemonHarness.repository.appendingPathComponent("seeds").path).sorted()
        let seedTexts = try seeds.map { try Data(contentsOf: DaemonHarness.repository.appendingPathComponent("seeds/\($0)")) }
        let longName = String(repeating: "ن", count: 123) + "x.txt"  // 251 bytes
        #expect(longName.utf8.count == 251)
        let poison: [(name: [UInt8], bytes: [UInt8])] = [
            (Array("unterminated.html".utf8), Array("<!-- x".utf8)),
            (Array("comments.html".utf8), Array((String(repeating: "<!---->", count: 40_000) + "<p>after</p>").utf8)),
            (Array("open-tags.html".utf8), Array(String(repeating: "<a ", count: 20_000).utf8)),
            (Array("deep.html".utf8), Array((String(repeating: "<div>", count: 100_000) + "deep").utf8)),
            (Array("deep.json".utf8), Array(String(repeating: "[", count: 100_000).utf8)),
            (Array("lines.txt".utf8), Array((0..<40_000).map { "Line \($0) of a very long text.\n" }.joined().utf8)),
            (Array("bad".utf8) + [0xFF, 0xFE] + Array("name.txt".utf8), Array("a good text under a name that is not UTF-8".utf8)),
            (Array(longName.utf8), Array("a good text under a name of 251 bytes".utf8)),
            (
                Array("french.txt".utf8),
                [0x4C, 0x65, 0x20, 0x70, 0x72, 0xE9, 0x73, 0x69, 0x64, 0x65, 0x6E, 0x74, 0x20, 0x61, 0x20, 0x64, 0xE9, 0x63, 0x6C, 0x61, 0x72, 0xE9]
            ),
            (Array("report.txt.error.json".utf8), Array("{not json".utf8)),
            (Array("first line\nsecond line.txt".utf8), Array("a text whose name holds a newline".utf8)),
            (Array("garbage.txt".utf8), [0x7F, 0x45, 0x4C, 0x46, 0, 1, 2, 3]),
        ]
        var good: [String] = []
        for index in 0..<40 {
            let name = "good-\(index)-\(seeds[index % seeds.count])"
            try harness.drop(name, seedTexts[index % seeds.count])
            good.append(name)
            if index % 4 == 0, index / 4 < poison.count {
                try dropRaw(harness, name: poison[index / 4].name, poison[index / 4].bytes)
            }
        }
        for item in poison.dropFirst(10) { try dropRaw(harness, name: item.name, item.bytes) }
        let startedAt = Date()
        let process = try harness.start()
        try await harness.waitUntil("every input has a disposition", timeout: .seconds(240)) {
            harness.files(harness.inbox).isEmpty && harness.claimedFiles().isEmpty
                && harness.files(harness.processed).count + harness.files(harness.failed).filter { !$0.hasSuffix(".error.json") }.count == 40
                    + poison.count
        }
        #expect(process.isRunning, "the daemon exited")
        for name in good {
            #expect(harness.files(harness.outbox).contains(name + ".json"), "\(name) has no result")
            #expect(harness.files(harness.processed).contains(name))
        }
        // Every good document's result was written within 30 s of the daemon's start.
        for name in good {
            let attributes = try FileManager.default.attributesOfItem(atPath: harness.outbox.appendingPathComponent(name + ".json").path)
            let written = try #require(attributes[.modificationDate] as? Date)
            #expect(written.timeIntervalSince(startedAt) < 30, "\(name) took \(written.timeIntervalSince(startedAt)) s")
        }
        let failed = harness.files(harness.failed)
        for input in failed where !input.hasSuffix(".error.json") {
            #expect(failed.contains(input + ".error.json"), "\(input) has no error record")
        }
        for expected in ["unterminated.html", "deep.html", "deep.json", "garbage.txt", "report.txt.error.json.input"] {
            #expect(failed.contains(expected), "\(expected) should have failed; failed: \(failed)")
        }
        let deepRecord = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: harness.failed.appendingPathComponent("deep.json.error.json"))) as? [String: Any])
        #expect(deepRecord["code"] as? String == "limit_exceeded")
        let processed = harness.files(harness.processed)
        for expected in ["comments.html", "french.txt", "bad\\xff\\xfename.txt", longName, "first line\nsecond line.txt"] {
            #expect(processed.contains(expected), "\(expected) should have been processed; processed: \(processed)")
        }
        let french = try harness.result("french.txt.json")
        #expect((french["source"] as? [String: Any])?["encoding"] as? String == "iso-8859-1")
        #expect((french["text"] as? String) == "Le président a déclaré")
        #expect(harness.files(harness.outbox).allSatisfy { $0.utf8.count <= 255 })
        // The 251-byte name's result is shortened with a digest; its source keeps the name whole.
        let shortened = try #require(harness.files(harness.outbox).first { $0.hasPrefix(String(repeating: "ن", count: 100)) })
        #expect(shortened.hasSuffix(".json") && shortened.contains("~"))
        #expect((try harness.result(shortened)["source"] as? [String: Any])?["name"] as? String == longName)
        #expect(harness.temporaryFiles().isEmpty)
        // The console log never splits a line on a name's newline.
        #expect(!harness.log().contains("first line\nsecond"))
        #expect(harness.log().contains("first line\\nsecond"))
        #expect(try await harness.stop(process) == 0)
    }

    @Test("while the outbox's disk is full, results wait seconds after space returns, not the next rescan")
    func fullDiskBackoff() async throws {
        let harness = try DaemonHarness()
        let outbox = harness.root.appendingPathComponent("small-outbox")
        try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
        let (mounted, output) = try DaemonHarness.capture("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", outbox.path])
        try #require(mounted == 0, "this test mounts a small tmpfs and needs root: \(output)")
        defer { _ = try? DaemonHarness.capture("/bin/umount", ["-l", outbox.path]) }
        // Fill it to the last block.
        let filler = outbox.appendingPathComponent("filler")
        let (_, _) = try DaemonHarness.capture("/bin/dd", ["if=/dev/zero", "of=\(filler.path)", "bs=4k", "count=64"])
        try harness.writeConfig(
            """
            workers: 1
            rescan_interval_ms: 60000
            pipeline: [text]
            """)
        let process = try harness.start(arguments: ["--outbox", outbox.path])
        try await harness.waitUntilStarted()
        for index in 0..<3 { try harness.drop("doc-\(index).txt", Data("a document that has to wait \(index)".utf8)) }
        try await harness.waitUntil("a result could not be written", timeout: .seconds(30)) {
            harness.log().contains("cannot write the result")
        }
        try await Task.sleep(for: .seconds(3))
        #expect(!harness.names(outbox).contains { $0.hasPrefix("doc-") })
        try FileManager.default.removeItem(at: filler)
        let freed = ContinuousClock.now
        try await harness.waitUntil("the results are written and the inputs moved on", timeout: .seconds(40)) {
            harness.names(outbox).filter { $0.hasPrefix("doc-") }.count == 3 && harness.claimedFiles().isEmpty
        }
        // The backoff doubles up to 60 s; a few seconds of it had passed: well under the rescan interval.
        #expect(ContinuousClock.now - freed < .seconds(20))
        #expect(harness.temporaryFiles().isEmpty)
        #expect(harness.files(harness.processed).count == 3)
        #expect(try await harness.stop(process) == 0)
    }
}
