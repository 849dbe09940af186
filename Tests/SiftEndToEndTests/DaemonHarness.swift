import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `siftd` binary against a temporary spool.
final class DaemonHarness {
    /// The built binary: `$SIFTD_BINARY`, else `siftd` beside the test bundle.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["SIFTD_BINARY"] { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("siftd").path
    }()

    /// siftd with a plugin that aborts the process on a marker (`Tests/Support/FaultInjectionDaemon`).
    static let faultInjectionBinary = URL(fileURLWithPath: binary).deletingLastPathComponent()
        .appendingPathComponent("FaultInjectionDaemon").path

    /// The repository's root, for example plugins and test plugins.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let misbehavingPlugin = repository.appendingPathComponent("Tests/SiftDaemonTests/Fixtures/plugins/misbehaving.py").path
    static let fixtures = repository.appendingPathComponent("Tests/SiftDaemonTests/Fixtures")

    /// Runs a program to its end and returns its exit status and its combined output.
    static func capture(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: URL? = nil
    ) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let input { process.standardInput = try FileHandle(forReadingFrom: input) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Runs a command to completion; returns its exit status and standard output alone
    /// (standard error is discarded), with no `SIFTD_…` variables in its environment.
    static func captureStandardOutput(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SIFTD_") }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    let root: URL
    var spool: URL { root.appendingPathComponent("spool") }
    var inbox: URL { spool.appendingPathComponent("inbox") }
    var outbox: URL { spool.appendingPathComponent("outbox") }
    var processed: URL { spool.appendingPathComponent("processed") }
    var failed: URL { spool.appendingPathComponent("failed") }
    var work: URL { spool.appendingPathComponent("work") }
    var configFile: URL { root.appendingPathComponent("siftd.yaml") }
    private(set) var processes: [Process] = []
    private var logIndex = 0

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("siftd-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    }

    deinit {
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: root)
    }

    func writeConfig(_ yaml: String) throws {
        try Data(yaml.utf8).write(to: configFile)
    }

    /// Starts `siftd run` on the spool; its standard error goes to a log file.
    @discardableResult
    func start(
        instance: String = "test", environment: [String: String] = [:], arguments: [String] = [], binary: String = DaemonHarness.binary
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var args = ["run", "--spool", spool.path, "--instance", instance]
        if FileManager.default.fileExists(atPath: configFile.path) { args += ["--config", configFile.path] }
        process.arguments = args + arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SIFTD_") }
        env["SIFTD_SETTLE_MS"] = env["SIFTD_SETTLE_MS"] ?? "700"
        env.merge(environment) { _, new in new }
        process.environment = env
        logIndex += 1
        let log = root.appendingPathComponent("siftd-\(instance)-\(logIndex).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)  // FileHandle below fails if it could not be made
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        return process
    }

    /// Everything the daemons logged so far.
    func log() -> String {
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".log") }.sorted()) ?? []
        return logs.compactMap { try? String(contentsOf: root.appendingPathComponent($0), encoding: .utf8) }.joined()
    }

    /// Waits until the daemon logged that it started.
    func waitUntilStarted(count: Int = 1, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("siftd started", timeout: timeout) { self.log().components(separatedBy: "siftd started").count - 1 >= count }
    }

    /// Sends a signal and waits for the process to exit; returns its exit status.
    func stop(_ process: Process, signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        try await waitUntil("siftd exits", timeout: timeout) { !process.isRunning }
        return process.terminationStatus
    }

    func names(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    /// Visible files in a directory (no dotfiles).
    func files(_ directory: URL) -> [String] {
        names(directory).filter { !$0.hasPrefix(".") }
    }

    /// Every file anywhere under the spool whose name marks it as temporary.
    func temporaryFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: spool.path)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".tmp") { found.append(path) }
        }
        return found
    }

    /// Claimed files (and claim directories) still in work directories.
    func claimedFiles() -> [String] {
        var found: [String] = []
        for instance in names(work) where !instance.hasPrefix(".") {
            found += names(work.appendingPathComponent(instance)).filter { !$0.hasPrefix(".") }.map { "\(instance)/\($0)" }
        }
        return found
    }

    func result(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: outbox.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Drops a file the way careful writers do: write under a temporary name, then rename into the inbox.
    func drop(_ name: String, _ bytes: some DataProtocol) throws {
        let temporary = inbox.appendingPathComponent(".\(name).part")
        try Data(bytes).write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: inbox.appendingPathComponent(name))
    }

    func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !condition() {
            if clock.now > deadline {
                Issue.record("timed out waiting until \(what); log:\n\(log().suffix(4000))")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
