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
        try harness.writeConfig("""
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
    }
}
