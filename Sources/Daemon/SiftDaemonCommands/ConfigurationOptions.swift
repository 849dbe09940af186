import ArgumentParser
import Configuration
import Foundation
import SiftDaemon
import SystemPackage

/// The options of every command that reads the configuration.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "The YAML configuration file (default: /etc/siftd/siftd.yaml when it exists).")
    var config: String?

    @Option(name: .long, help: "The least severe level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    /// Loads the configuration with the assembled plugins; `overrides` are further flags by key.
    func load(overrides: [String: ConfigContent] = [:]) async throws -> SiftConfiguration {
        var values = overrides
        if let logLevel { values["log_level"] = .string(logLevel) }
        return try await SiftDaemonCommands.plugins().configurationLoader.load(
            file: config.map { FilePath(Self.absolute($0)) }, environment: ProcessInfo.processInfo.environment,
            overrides: values
        )
    }

    /// `path` made absolute against the working directory, so that it means the same after a `chdir`.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
