import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Whether this process may create mount namespaces (root with CAP_SYS_ADMIN, as CI runs).
let canUnshare: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    process.arguments = ["--mount", "--fork", "true"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    if process.terminationStatus != 0 {
        print("⚠️  SKIPPING systemd integration tests: unshare is not permitted here (not root?)")
    }
    return process.terminationStatus == 0
}()

extension EndToEnd {
    @Suite("systemd: the journal and the unit")
    struct SystemdIntegrationTests {
        @Test("with --log-target journal, entries reach a real journald with fields, priorities and message ids", .enabled(if: canUnshare))
        func journal() async throws {
            let harness = try DaemonHarness()
            for name in ["000_717ed1235d1321f2.txt", "001_1eb3bb6ad9028989.txt"] {
                try Data(contentsOf: DaemonHarness.repository.appendingPathComponent("seeds/\(name)"))
                    .write(to: harness.inbox.appendingPathComponent(name))
            }
            // A name with a newline: the journal field must carry both lines intact.
            try Data("two-line name\n".utf8).write(to: harness.inbox.appendingPathComponent("first line\nsecond line.txt"))
            try Data([0x00, 0x01, 0x02]).write(to: harness.inbox.appendingPathComponent("broken.bin"))
            let export = harness.root.appendingPathComponent("journal.json")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = [
                "--mount", "--fork", DaemonHarness.repository.appendingPathComponent("scripts/with-private-journald.sh").path,
                export.path, "/usr/bin/timeout", "-s", "TERM", "4", DaemonHarness.binary, "run", "--spool", harness.spool.path,
                "--instance", "journal", "--log-target", "journal",
            ]
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SIFTD_") }
            environment["SIFTD_SETTLE_MS"] = "100"
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            let lines = try String(contentsOf: export, encoding: .utf8).split(separator: "\n")
            let all = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            #expect(!all.isEmpty, "the journal holds siftd's entries")
            func entries(_ id: String) -> [[String: Any]] { all.filter { $0["MESSAGE_ID"] as? String == id } }

            let started = try #require(entries("d6b1568f6a304ea99faac887dd92e486").first)
            #expect(started["MESSAGE"] as? String == "siftd started")
            #expect(started["PRIORITY"] as? String == "5")
            #expect(started["SIFTD_INBOX"] as? String == harness.inbox.path)
            #expect((started["CODE_FILE"] as? String)?.hasSuffix("SiftService.swift") == true)
            #expect(started["CODE_LINE"] as? String != nil && started["CODE_FUNC"] as? String != nil)
            #expect(!entries("8c189e2bcd62489db39395ef48413618").isEmpty, "ready")

            let processed = entries("3591dbcbf3b7404299da5627c2751f34")
            #expect(
                Set(processed.compactMap { $0["SIFTD_DOCUMENT"] as? String }).isSuperset(of: ["000_717ed1235d1321f2.txt", "001_1eb3bb6ad9028989.txt"])
            )
            let seed = try #require(processed.first { $0["SIFTD_DOCUMENT"] as? String == "000_717ed1235d1321f2.txt" })
            #expect(seed["PRIORITY"] as? String == "6")
            #expect((seed["SIFTD_SHA256"] as? String)?.count == 64)
            #expect(Double(seed["SIFTD_DURATION_MS"] as? String ?? "") != nil)
            #expect(seed["SIFTD_RESULT"] as? String == "000_717ed1235d1321f2.txt.json")

            // journalctl renders a field with a newline as a list of bytes in JSON output.
            let multiLine = processed.compactMap { entry -> String? in
                if let bytes = entry["SIFTD_DOCUMENT"] as? [Int] { return String(decoding: bytes.map(UInt8.init), as: UTF8.self) }
                return entry["SIFTD_DOCUMENT"] as? String
            }
            #expect(multiLine.contains("first line\nsecond line.txt"))

            let failed = try #require(entries("91da36b2b0e64eb1bc061d4c491b594b").first)
            #expect(failed["PRIORITY"] as? String == "3")
            #expect(failed["SIFTD_DOCUMENT"] as? String == "broken.bin")
            #expect(failed["SIFTD_ERROR_CODE"] as? String == "unsupported_format")
            #expect(!entries("79872ca5105a474baf9c71e968c802e6").isEmpty, "stopping")
            #expect(!entries("0553e98b292d40219afd8b725b46a505").isEmpty, "stopped")
        }

        @Test("a stalled journal never holds up processing", .enabled(if: canUnshare))
        func stalledJournal() async throws {
            let harness = try DaemonHarness()
            for index in 0..<300 {
                try Data("document \(index)\n".utf8).write(to: harness.inbox.appendingPathComponent("doc-\(index).txt"))
            }
            // journald is stopped (SIGSTOP) before siftd starts: its socket fills and never drains.
            // siftd is signalled directly: children of this test process inherit a blocked signal
            // mask, which siftd's signal handling copes with and `timeout` would not.
            let script = """
                kill -STOP "$JOURNALD_PID"
                "$0" run --spool "$1" --instance stalled --log-target journal &
                daemon=$!
                for _ in $(seq 1 300); do [ "$(ls "$1/processed" 2>/dev/null | wc -l)" -ge 300 ] && break; sleep 0.05; done
                ls "$1/processed" | wc -l > "$2"
                kill -TERM $daemon
                for _ in $(seq 1 300); do kill -0 $daemon 2>/dev/null || break; sleep 0.05; done
                kill -KILL $daemon 2>/dev/null
                wait $daemon; echo "exit $?" >> "$2"
                kill -CONT "$JOURNALD_PID"
                """
            let report = harness.root.appendingPathComponent("report.txt")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = [
                "--mount", "--fork", DaemonHarness.repository.appendingPathComponent("scripts/with-private-journald.sh").path,
                harness.root.appendingPathComponent("journal.json").path, "/bin/bash", "-c", script,
                DaemonHarness.binary, harness.spool.path, report.path,
            ]
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SIFTD_") }
            environment["SIFTD_SETTLE_MS"] = "0"
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            let lines = try String(contentsOf: report, encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "300", "every document was processed while the journal was stalled")
            #expect(lines.last == "exit 0", "and the daemon stopped cleanly")
        }

        @Test("with no journal at all, --log-target journal still processes documents")
        func absentJournal() async throws {
            let harness = try DaemonHarness()
            let daemon = try harness.start(environment: ["SIFTD_SETTLE_MS": "0"], arguments: ["--log-target", "journal"])
            // The daemon logs nothing to standard error, so wait for the lock instead of "siftd started".
            try await harness.waitUntil("the daemon runs") {
                FileManager.default.fileExists(atPath: harness.work.appendingPathComponent("test/.lock").path)
            }
            try harness.drop("quiet.txt", Data("no journal here\n".utf8))
            try await harness.waitUntil("the document is processed") { harness.files(harness.processed) == ["quiet.txt"] }
            #expect(try await harness.stop(daemon) == 0)
        }

        @Test(
            "the unit passes systemd-analyze verify, and its exposure is at most 1.5, with the metrics drop-in too",
            arguments: [false, true])
        func unit(metricsDropIn: Bool) throws {
            let harness = try DaemonHarness()
            let binaryDirectory = URL(fileURLWithPath: DaemonHarness.binary).deletingLastPathComponent().path
            var unit = try String(contentsOf: DaemonHarness.repository.appendingPathComponent("systemd/siftd.service"), encoding: .utf8)
                .replacingOccurrences(of: "@BINDIR@", with: binaryDirectory)
                .replacingOccurrences(of: "@DOCDIR@", with: "/usr/share/doc/siftd")
            if metricsDropIn {
                // A drop-in's [Service] lines act as if appended to the unit's [Service] section.
                let dropIn = try String(
                    contentsOf: DaemonHarness.repository.appendingPathComponent("systemd/siftd-metrics.conf"), encoding: .utf8)
                let settings = dropIn.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("[") && !$0.isEmpty }
                #expect(settings.contains("IPAddressAllow=localhost"))
                let install = try #require(unit.range(of: "\n[Install]"))
                unit.insert(contentsOf: "\n" + settings.joined(separator: "\n") + "\n", at: install.lowerBound)
            }
            let path = harness.root.appendingPathComponent("siftd.service")
            try Data(unit.utf8).write(to: path)
            func analyze(_ arguments: [String]) throws -> (Int32, String) {
                try DaemonHarness.capture("/usr/bin/systemd-analyze", arguments)
            }
            let verify = try analyze(["verify", path.path])
            #expect(verify.0 == 0, "\(verify.1)")
            #expect(verify.1.isEmpty, "no warnings: \(verify.1)")
            let security = try analyze(["security", "--offline=true", "--no-pager", path.path])
            let line = try #require(security.1.split(separator: "\n").first { $0.contains("Overall exposure level") })
            let score = try #require(Double(line.split(separator: ":").last!.split(separator: " ").first!))
            #expect(score <= 1.5, "\(line)")
        }
    }
}

extension EndToEnd.SystemdIntegrationTests {
    @Test("make install-files and make uninstall honour PREFIX and DESTDIR; uninstall keeps the configuration")
    func installAndUninstall() throws {
        let harness = try DaemonHarness()
        let destination = harness.root.appendingPathComponent("destdir").path
        func make(_ arguments: [String]) throws -> (Int32, String) {
            try DaemonHarness.capture("/usr/bin/make", ["-C", DaemonHarness.repository.path, "--no-print-directory"] + arguments)
        }
        func installed() -> [String] {
            let enumerator = FileManager.default.enumerator(atPath: destination)
            var files: [String] = []
            while let path = enumerator?.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: destination + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files.append(path)
                }
            }
            return files.sorted()
        }
        let install = try make(["install-files", "BINARY=\(DaemonHarness.binary)", "PREFIX=/opt/siftd", "DESTDIR=\(destination)"])
        #expect(install.0 == 0, "\(install.1)")
        #expect(
            installed() == [
                "etc/siftd/siftd.yaml", "opt/siftd/bin/siftd", "opt/siftd/lib/systemd/catalog/siftd.catalog",
                "opt/siftd/lib/systemd/system/siftd.service", "opt/siftd/lib/sysusers.d/siftd.conf",
                "opt/siftd/lib/tmpfiles.d/siftd.conf", "opt/siftd/share/doc/siftd/README.md",
                "opt/siftd/share/doc/siftd/error.schema.json", "opt/siftd/share/doc/siftd/result.schema.json",
                "opt/siftd/share/doc/siftd/siftd-metrics.conf", "opt/siftd/share/doc/siftd/siftd.yaml.example",
                "opt/siftd/share/siftd/examples/plugins/top_words.py",
                "opt/siftd/share/siftd/langid.model", "opt/siftd/share/siftd/ner.model",
            ])
        // The installed binary finds the installed model (share/siftd beside its bin directory).
        let identify = Process()
        identify.executableURL = URL(fileURLWithPath: destination + "/opt/siftd/bin/siftd")
        identify.arguments = ["langid"]
        let input = Pipe()
        let output = Pipe()
        identify.standardInput = input
        identify.standardOutput = output
        try identify.run()
        input.fileHandleForWriting.write(Data("the secretary general spoke with the prime minister\n".utf8))
        try input.fileHandleForWriting.close()
        let identified = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        identify.waitUntilExit()
        #expect(identify.terminationStatus == 0)
        #expect(identified.hasPrefix("en\t"))
        let unit = try String(contentsOfFile: destination + "/opt/siftd/lib/systemd/system/siftd.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/siftd/bin/siftd run --log-target journal"))
        let config = try String(contentsOfFile: destination + "/etc/siftd/siftd.yaml", encoding: .utf8)
        #expect(config.contains("/opt/siftd/share/siftd/examples/plugins/top_words.py"))
        let uninstall = try make(["uninstall", "PREFIX=/opt/siftd", "DESTDIR=\(destination)"])
        #expect(uninstall.0 == 0, "\(uninstall.1)")
        #expect(installed() == ["etc/siftd/siftd.yaml"])
    }
}
