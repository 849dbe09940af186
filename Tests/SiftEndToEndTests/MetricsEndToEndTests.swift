import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension EndToEnd {
    @Suite("Metrics and status")
    struct MetricsEndToEndTests {
        /// The samples of a Prometheus text exposition, by series (`name{labels}`).
        func samples(_ text: String) -> [String: Double] {
            var samples: [String: Double] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
                samples[String(line[..<space])] = value
            }
            return samples
        }

        @Test("the endpoint of a running daemon counts what was dropped into it: documents by outcome, stages, bytes, the process")
        func scrape() async throws {
            let harness = try DaemonHarness()
            try harness.writeConfig("pipeline: [text]\nmetrics:\n  listen: 127.0.0.1:0\n")
            let daemon = try harness.start(environment: ["SIFTD_SETTLE_MS": "0"])
            try await harness.waitUntil("the endpoint listens") { harness.log().contains("metrics endpoint listening on") }
            let log = harness.log()
            let start = try #require(log.range(of: "metrics endpoint listening on ")).upperBound
            let address = String(log[start...].prefix { !$0.isWhitespace })
            let url = try #require(URL(string: address))

            let before = samples(String(decoding: try await URLSession.shared.data(from: url).0, as: UTF8.self))
            #expect(before["siftd_documents_total{outcome=\"processed\"}"] == 0, "counters are there from the start")

            let texts = (1...7).map { "Document number \($0) of the burst.\n" }
            for (index, text) in texts.enumerated() { try harness.drop("good-\(index).txt", Data(text.utf8)) }
            try harness.drop("bad.txt", try Data(contentsOf: DaemonHarness.fixtures.appendingPathComponent("invalid-utf8.txt")))
            try await harness.waitUntil("eight dispositions") {
                harness.files(harness.outbox).count == texts.count && harness.files(harness.failed).count == 2
            }

            let (body, response) = try await URLSession.shared.data(from: url)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let after = samples(String(decoding: body, as: UTF8.self))
            #expect(after["siftd_documents_total{outcome=\"processed\"}"] == Double(texts.count))
            #expect(after["siftd_documents_total{outcome=\"failed\"}"] == 1)
            #expect(after["siftd_document_duration_seconds_count"] == Double(texts.count + 1))
            #expect(after["siftd_stage_duration_seconds_count{stage=\"text\"}"] == Double(texts.count))
            #expect(after["siftd_bytes_read_total"] == Double(texts.map(\.utf8.count).reduce(0, +)))
            #expect(after["siftd_inbox_pending"] != nil)
            #expect(after["siftd_claimed"] != nil)
            #expect(after["siftd_journal_dropped_total"] == 0)
            #expect((after["process_resident_memory_bytes"] ?? 0) > 1_000_000)
            #expect((after["process_open_fds"] ?? 0) > 3)
            #expect(after.keys.contains { $0.hasPrefix("siftd_build_info{version=") })

            let missing = try await URLSession.shared.data(from: url.deletingLastPathComponent().appendingPathComponent("other"))
            #expect((missing.1 as? HTTPURLResponse)?.statusCode == 404)
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test("siftd status shows what a running instance counted, and that a stopped one stopped")
        func status() async throws {
            let harness = try DaemonHarness()
            try harness.writeConfig("pipeline: [text]\n")
            func status(_ extra: [String] = []) throws -> (status: Int32, output: String) {
                try DaemonHarness.capture(
                    DaemonHarness.binary,
                    ["status", "--config", harness.configFile.path, "--spool", harness.spool.path, "--instance", "test"] + extra,
                    environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SIFTD_") })
            }
            let never = try status()
            #expect(never.status == 4)
            #expect(never.output.contains("no status"))

            let daemon = try harness.start(environment: ["SIFTD_SETTLE_MS": "0"])
            for index in 0..<4 { try harness.drop("doc-\(index).txt", Data("document \(index)\n".utf8)) }
            try harness.drop("bad.txt", try Data(contentsOf: DaemonHarness.fixtures.appendingPathComponent("invalid-utf8.txt")))
            try await harness.waitUntil("five dispositions") {
                harness.files(harness.outbox).count == 4 && harness.files(harness.failed).count == 2
            }
            try await harness.waitUntil("the status file catches up") {
                (try? status(["--json"]).output.contains(#""processed":4"#)) == true
            }
            let running = try status(["--json"])
            #expect(running.status == 0)
            let figures = try #require(try JSONSerialization.jsonObject(with: Data(running.output.utf8)) as? [String: Any])
            #expect(figures["running"] as? Bool == true)
            #expect(figures["state"] as? String == "running")
            #expect(figures["processed"] as? Int == 4)
            #expect(figures["failed"] as? Int == 1)
            #expect(figures["queued"] as? Int == 0)
            #expect(figures["pid"] as? Int == Int(daemon.processIdentifier))
            let text = try status()
            #expect(text.status == 0)
            #expect(text.output.contains("running since"))
            #expect(text.output.contains("processed 4 (0 with failed stages), failed 1"))

            #expect(try await harness.stop(daemon) == 0)
            let stopped = try status()
            #expect(stopped.status == 3)
            #expect(stopped.output.contains("stopped at"))
            #expect(stopped.output.contains("processed 4"))
            let all = try DaemonHarness.capture(
                DaemonHarness.binary, ["status", "--config", harness.configFile.path, "--spool", harness.spool.path, "--all"])
            #expect(all.1.contains("siftd instance 'test'"))
        }

        @Test("without metrics.listen there is no endpoint; a port in use stops the daemon with the reason")
        func offByDefaultAndPortInUse() async throws {
            let harness = try DaemonHarness()
            try harness.writeConfig("pipeline: [text]\n")
            let quiet = try harness.start(environment: ["SIFTD_SETTLE_MS": "0"])
            try await harness.waitUntilStarted()
            #expect(!harness.log().contains("metrics endpoint"))
            #expect(try await harness.stop(quiet) == 0)

            // A port already taken: the endpoint cannot listen.
            try harness.writeConfig("pipeline: [text]\nmetrics:\n  listen: 127.0.0.1:0\n")
            let first = try harness.start(instance: "first", environment: ["SIFTD_SETTLE_MS": "0"])
            try await harness.waitUntil("the endpoint listens") { harness.log().contains("metrics endpoint listening on") }
            let log = harness.log()
            let start = try #require(log.range(of: "metrics endpoint listening on http://")).upperBound
            let address = String(log[start...].prefix { $0 != "/" })
            try harness.writeConfig("pipeline: [text]\nmetrics:\n  listen: \(address)\n")
            let second = try harness.start(instance: "second", environment: ["SIFTD_SETTLE_MS": "0"])
            try await harness.waitUntil("the second daemon ends") { !second.isRunning }
            #expect(second.terminationStatus != 0)
            #expect(harness.log().lowercased().contains("address already in use"))
            #expect(try await harness.stop(first) == 0)
        }
    }
}
