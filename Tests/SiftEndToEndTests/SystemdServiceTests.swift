import Foundation
import Testing

extension EndToEnd {
    /// The installed service under a real systemd, booted as PID 1 in private namespaces by
    /// `scripts/systemd-sandbox.sh`; nothing it installs or runs reaches the host.
    @Suite("systemd: the installed service under a real systemd", .enabled(if: canUnshare))
    final class SystemdServiceTests {
        let harness: DaemonHarness
        let sandbox: URL
        static let script = DaemonHarness.repository.appendingPathComponent("scripts/systemd-sandbox.sh").path

        init() throws {
            harness = try DaemonHarness()
            sandbox = harness.root.appendingPathComponent("sandbox")
            // Its output goes to a file: the booted systemd must not hold a pipe of this process open.
            let log = harness.root.appendingPathComponent("sandbox-start.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.script)
            process.arguments = ["start", sandbox.path]
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "the sandbox boots: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }

        deinit {
            _ = try? Self.execute([Self.script, "stop", sandbox.path])
        }

        @discardableResult
        static func execute(_ arguments: [String]) throws -> (Int32, String) {
            try DaemonHarness.capture("/usr/bin/env", arguments)
        }

        /// Runs a shell command inside the sandbox.
        @discardableResult
        func inside(_ command: String) throws -> (status: Int32, output: String) {
            try Self.execute([Self.script, "run", sandbox.path, "/bin/bash", "-c", command])
        }

        func waitInside(_ what: String, timeout: Duration = .seconds(60), _ command: String) async throws {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while try inside(command).status != 0 {
                if clock.now > deadline {
                    let log = try inside("journalctl -u siftd --no-pager -n 50; systemctl status siftd --no-pager").output
                    Issue.record("timed out waiting until \(what):\n\(log)")
                    throw CancellationError()
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }

        func journal(_ filter: String) throws -> [[String: Any]] {
            try inside("journalctl -u siftd --no-pager -o json \(filter)").output.split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        @Test("install, start, process the seeds, status, reload, watchdog restart and a clean stop")
        func lifecycle() async throws {
            let repository = DaemonHarness.repository.path
            let install = try inside("make -C \(repository) --no-print-directory install-files BINARY=\(DaemonHarness.binary)")
            try #require(install.status == 0, "make install-files: \(install.output)")
            let verify = try inside("systemd-analyze verify /usr/local/lib/systemd/system/siftd.service")
            #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")
            let security = try inside("systemd-analyze security --no-pager siftd.service | grep 'Overall exposure level'").output
            let score = Double(security.split(separator: ":").last?.split(separator: " ").first ?? "")
            #expect(score != nil && score! <= 1.5, "\(security)")
            try inside(
                """
                mkdir -p /etc/systemd/system/siftd.service.d
                printf '[Service]\\nWatchdogSec=3s\\nTimeoutAbortSec=2s\\nRestartSec=500ms\\nEnvironment=SIFTD_SETTLE_MS=200\\n' \
                  > /etc/systemd/system/siftd.service.d/test.conf
                systemctl daemon-reload
                """)

            #expect(try inside("systemctl start siftd").status == 0)
            #expect(try inside("systemctl is-active siftd").output.hasPrefix("active"))
            #expect(try inside("stat -c '%U:%G %a' /var/spool/siftd/inbox").output.hasPrefix("siftd:siftd 2770"))

            try inside("install -m 0644 \(repository)/seeds/* /var/spool/siftd/inbox/")
            try await waitInside("the five seeds are processed", "[ $(ls /var/spool/siftd/processed | wc -l) -eq 5 ]")
            #expect(try inside("ls /var/spool/siftd/outbox").output.split(separator: "\n").count == 5)
            #expect(try inside("stat -c %U /var/spool/siftd/outbox/000_717ed1235d1321f2.txt.json").output.hasPrefix("siftd"))

            let processed = try journal("MESSAGE_ID=3591dbcbf3b7404299da5627c2751f34")
            #expect(Set(processed.compactMap { $0["SIFTD_DOCUMENT"] as? String }).count == 5)
            #expect(processed.allSatisfy { ($0["SIFTD_SHA256"] as? String)?.count == 64 })
            #expect(!(try journal("SIFTD_DOCUMENT=000_717ed1235d1321f2.txt")).isEmpty, "journalctl SIFTD_DOCUMENT=… finds a file's entries")
            let explained = try inside("journalctl -u siftd -x --no-pager").output
            #expect(explained.contains("Subject: siftd processed a document"), "journalctl -x shows the catalog")

            try await waitInside("the status line shows the figures", "systemctl status siftd --no-pager | grep -q 'Status: \"processed 5, failed 0'")

            // A changed configuration: an external plugin joins the pipeline, under the hardened unit.
            try inside(
                "sed -i 's/^pipeline: \\[text, language, entities, summary\\]/pipeline: [text, language, entities, summary, top]/' /etc/siftd/siftd.yaml"
            )
            #expect(try inside("systemctl reload siftd").status == 0)
            try await waitInside(
                "the reload is logged",
                "journalctl -u siftd --no-pager MESSAGE_ID=90f5e590e7814f12813278b16a415c5a | grep -q 'configuration reloaded'")
            try inside(
                "printf 'alpha beta alpha gamma alpha\\n' > /var/spool/siftd/inbox/.x.part && mv /var/spool/siftd/inbox/.x.part /var/spool/siftd/inbox/after-reload.txt"
            )
            try await waitInside("the new pipeline runs", "grep -q top_words /var/spool/siftd/outbox/after-reload.txt.json")
            #expect(try inside("grep -o '\"word\":\"alpha\"' /var/spool/siftd/outbox/after-reload.txt.json | wc -l").output.hasPrefix("1"))

            // A hung process: the watchdog pings stop, systemd kills and restarts it.
            let firstPID = try inside("systemctl show -p MainPID --value siftd").output.trimmingCharacters(in: .whitespacesAndNewlines)
            try inside("kill -STOP \(firstPID)")
            try await waitInside(
                "the watchdog restarts siftd", timeout: .seconds(60),
                """
                pid=$(systemctl show -p MainPID --value siftd); [ "$pid" != "\(firstPID)" ] && [ "$pid" != 0 ] && systemctl is-active -q siftd
                """)
            #expect(try inside("journalctl -u siftd --no-pager | grep -q 'Watchdog timeout'").status == 0)
            #expect(Int(try inside("systemctl show -p NRestarts --value siftd").output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 1)

            // siftd status reads the status file the service keeps in its work directory.
            try await waitInside("siftd status sees the running service", "/usr/local/bin/siftd status | grep -q 'running since'")

            // The metrics endpoint under the hardened unit: the drop-in opens the loopback interface only.
            try inside(
                """
                printf 'metrics:\\n  listen: 127.0.0.1:9464\\n' >> /etc/siftd/siftd.yaml
                install -D -m 0644 /usr/local/share/doc/siftd/siftd-metrics.conf /etc/systemd/system/siftd.service.d/metrics.conf
                systemctl daemon-reload
                """)
            #expect(try inside("systemctl restart siftd").status == 0)
            let exposure = try inside("systemd-analyze security --no-pager siftd.service | grep 'Overall exposure level'").output
            let metricsScore = Double(exposure.split(separator: ":").last?.split(separator: " ").first ?? "")
            #expect(metricsScore != nil && metricsScore! <= 1.5, "with the metrics drop-in: \(exposure)")
            try inside(
                "printf 'counted\\n' > /var/spool/siftd/inbox/.m.part && mv /var/spool/siftd/inbox/.m.part /var/spool/siftd/inbox/metrics.txt")
            try await waitInside(
                "the endpoint counts the new document",
                """
                exec 3<>/dev/tcp/127.0.0.1/9464 \\
                  && printf 'GET /metrics HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 \\
                  && timeout 5 grep -q '^siftd_documents_total{outcome="processed"} 1$' <&3
                """)

            #expect(try inside("systemctl stop siftd").status == 0)
            let result = try inside("systemctl show -p Result -p ExecMainStatus siftd").output
            #expect(result.contains("Result=success"), "\(result)")
            #expect(result.contains("ExecMainStatus=0"), "\(result)")
            #expect(!(try journal("MESSAGE_ID=0553e98b292d40219afd8b725b46a505")).isEmpty, "stopped cleanly")
        }
    }
}
