import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    @Suite("Crash safety and several instances")
    struct CrashSafetyEndToEndTests {
        static let burst = 500

        func dropBurst(_ harness: DaemonHarness) throws {
            for index in 0..<Self.burst {
                try harness.drop(String(format: "doc-%04d.txt", index), Data("Document number \(index). It has a sentence or two.\n".utf8))
            }
        }

        /// Every input has exactly one result and one disposition, nothing is left half-done.
        func expectExactlyOnce(_ harness: DaemonHarness) throws {
            let results = harness.files(harness.outbox)
            let expectedNames = (0..<Self.burst).map { String(format: "doc-%04d.txt", $0) }
            #expect(results == expectedNames.map { $0 + ".json" }, "one result per input, no second results")
            #expect(harness.files(harness.processed) == expectedNames, "one disposition per input")
            #expect(harness.files(harness.failed).isEmpty)
            #expect(harness.files(harness.inbox).isEmpty)
            #expect(harness.temporaryFiles().isEmpty, "no temporary files remain: \(harness.temporaryFiles())")
            #expect(harness.claimedFiles().isEmpty, "no claims remain: \(harness.claimedFiles())")
            for name in results {
                let result = try harness.result(name)  // parses: not truncated
                let source = try #require(result["source"] as? [String: Any])
                #expect(source["name"] as? String == String(name.dropLast(5)))
                #expect((result["text"] as? String)?.hasPrefix("Document number ") == true)
            }
        }

        @Test("kill -9 in the middle of a burst, then a restart: every input ends exactly once")
        func killNine() async throws {
            let harness = try DaemonHarness()
            try dropBurst(harness)
            let first = try harness.start(environment: ["SIFTD_WORKERS": "4"])
            try await harness.waitUntil("a part of the burst is done", timeout: .seconds(60)) {
                harness.files(harness.outbox).count >= 40
            }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let doneBeforeCrash = harness.files(harness.outbox).count
            #expect(doneBeforeCrash < Self.burst, "the kill must land mid-burst")
            let second = try harness.start(environment: ["SIFTD_WORKERS": "4"])
            try await harness.waitUntil("the burst is done", timeout: .seconds(120)) {
                harness.files(harness.processed).count == Self.burst
            }
            try await Task.sleep(for: .milliseconds(300))
            try expectExactlyOnce(harness)
            #expect(try await harness.stop(second) == 0)
        }

        @Test("two daemons on one spool share a burst: each file is processed exactly once")
        func twoInstances() async throws {
            let harness = try DaemonHarness()
            let one = try harness.start(instance: "one")
            let two = try harness.start(instance: "two")
            try await harness.waitUntilStarted(count: 2)
            try dropBurst(harness)
            try await harness.waitUntil("the burst is done", timeout: .seconds(120)) {
                harness.files(harness.processed).count == Self.burst
            }
            try await Task.sleep(for: .milliseconds(300))
            try expectExactlyOnce(harness)
            var byInstance: [String: Int] = [:]
            for name in harness.files(harness.outbox) {
                byInstance[try harness.result(name)["instance"] as? String ?? "?", default: 0] += 1
            }
            #expect(byInstance.values.reduce(0, +) == Self.burst)
            #expect(Set(byInstance.keys).isSubset(of: ["one", "two"]))
            #expect(try await harness.stop(one) == 0)
            #expect(try await harness.stop(two) == 0)
        }

        @Test("a second live instance with the same name refuses to start")
        func sameName() async throws {
            let harness = try DaemonHarness()
            let first = try harness.start(instance: "twin")
            try await harness.waitUntilStarted()
            let second = try harness.start(instance: "twin")
            try await harness.waitUntil("the second exits") { !second.isRunning }
            #expect(second.terminationStatus != 0)
            #expect(harness.log().contains("another siftd instance named 'twin' is already running on this spool (pid \(first.processIdentifier))"))
            #expect(first.isRunning)
            #expect(try await harness.stop(first) == 0)
        }
    }
}
