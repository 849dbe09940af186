import ArgumentParser
import Configuration
import Foundation
import Logging
import SiftDaemon
import SiftPluginAPI
import SystemPackage

/// Options every command that reads the configuration shares.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "The YAML configuration file (default: /etc/siftd/siftd.yaml when it exists).")
    var config: String?

    @Option(name: .long, help: "The spool directory: DIR/inbox, DIR/outbox, DIR/processed, DIR/failed and DIR/work.")
    var spool: String?

    @Option(name: .long, help: "The inbox directory (overrides --spool).")
    var inbox: String?

    @Option(name: .long, help: "The outbox directory (overrides --spool).")
    var outbox: String?

    @Option(name: .long, help: "Where processed inputs go (overrides --spool).")
    var processed: String?

    @Option(name: .long, help: "Where failed inputs go (overrides --spool).")
    var failed: String?

    @Option(name: .long, help: "The work directory (overrides --spool).")
    var work: String?

    @Option(name: .long, help: "This instance's name (default: the host name); instances sharing a spool need distinct names.")
    var instance: String?

    @Option(name: .long, help: "How many documents to process at once (default: the number of cores).")
    var workers: Int?

    @Option(name: .long, help: "The least severe level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    var overrides: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        for (key, value) in [("spool", spool), ("inbox", inbox), ("outbox", outbox), ("processed", processed),
                             ("failed", failed), ("work", work), ("instance", instance), ("log_level", logLevel)] {
            if let value { values[key] = .string(Self.absolute(value, isPath: key != "instance" && key != "log_level")) }
        }
        if let workers { values["workers"] = .int(workers) }
        return values
    }

    private static func absolute(_ value: String, isPath: Bool) -> String {
        guard isPath, !value.hasPrefix("/") else { return value }
        return FileManager.default.currentDirectoryPath + "/" + value
    }

    func load(registry: PluginRegistry) async throws -> SiftConfiguration {
        try await ConfigurationLoader(registry: registry).load(
            file: config.map { FilePath($0) }, environment: ProcessInfo.processInfo.environment, overrides: overrides
        )
    }
}

/// Where log lines go.
enum LogTarget: String, ExpressibleByArgument, CaseIterable {
    /// The journal when standard error is connected to it (as under systemd), else the console.
    case auto
    /// Readable lines on standard error.
    case console
    /// The systemd journal, with structured fields.
    case journal

    static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

enum Logging {
    /// Chooses the log handler; called once per process.
    static func bootstrap(target: LogTarget) {
        let journal = target == .journal || (target == .auto && LogDestination.standardErrorIsJournal())
        LoggingSystem.bootstrap { label in
            if journal {
                var handler = JournalLogHandler(label: label)
                handler.logLevel = .info
                return handler
            }
            var handler = ConsoleLogHandler(label: label)
            handler.logLevel = .info
            return handler
        }
    }

    /// Hands queued journal entries over before the process exits.
    static func flush() {
        JournalWriter.shared.flush()
    }
}
