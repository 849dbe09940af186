import Configuration
import Foundation
import Logging
import ServiceLifecycle
import SiftDaemon
import SiftPluginAPI
import SystemPackage

/// A siftd daemon with one more plugin, `fault`, for the end-to-end tests of what happens when a
/// document kills the process: it calls `abort()` on a document that holds `ABORT-SIFTD`.
///
/// Usage: `FaultInjectionDaemon --spool DIR --instance NAME [--config FILE]`.
@main
struct FaultInjectionDaemon {
    struct AbortOnMarker: DocumentProcessor {
        func process(_ document: Document) async throws -> [String: JSONValue] {
            if document.text.contains("ABORT-SIFTD") { abort() }
            return ["survived": true]
        }
    }

    static func main() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "siftd")
        let fault = PluginRegistration(
            descriptor: PluginDescriptor(
                name: "fault", version: "1", summary: "Aborts the process on a document that holds ABORT-SIFTD.",
                provides: ["fault"]
            ),
            makeProcessor: { _ in AbortOnMarker() }
        )
        let registry = try PluginRegistry(try StandardPlugins.registry().registrations + [fault])
        var flags: [String: ConfigContent] = [:]
        var configFile: FilePath?
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = arguments.next(), let value = arguments.next() {
            switch flag {
            case "--config": configFile = FilePath(value)
            default: flags[String(flag.dropFirst(2))] = .string(value)
            }
        }
        let loader = ConfigurationLoader(registry: registry)
        let (file, overrides) = (configFile, flags)
        let environment = ProcessInfo.processInfo.environment
        let configuration = try await loader.load(file: file, environment: environment, overrides: overrides)
        let service = SiftService(configuration: configuration, registry: registry, logger: logger) {
            try await loader.load(file: file, environment: environment, overrides: overrides)
        }
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: service)], gracefulShutdownSignals: [.sigterm], logger: logger)
        )
        try await group.run()
    }
}
