import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SiftDaemon

/// `siftd run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: watch the inbox, process every new file, write results to the outbox."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var spool: SpoolOptions

    @Option(name: .long, help: "Where log lines go: auto (the journal when standard error is connected to it), console or journal.")
    var logTarget: LogTarget = .auto

    func run() async throws {
        // Until the reload handler is installed, a SIGHUP must not end the process.
        signal(SIGHUP, SIG_IGN)
        LogBootstrap.bootstrap(target: logTarget)
        let logger = Logger(label: "siftd")
        let registry = try SiftDaemonCommands.plugins().registry
        let configuration: SiftConfiguration
        do {
            configuration = try await options.load(overrides: spool.overrides)
        } catch {
            logger.critical("invalid configuration: \(error)")
            LogBootstrap.flush()
            throw ExitCode(78)  // EX_CONFIG
        }
        let (options, overrides) = (self.options, spool.overrides)
        // Bootstrapped before the service exists: its metrics are made by the factory current then.
        let endpoint = configuration.metricsListen.map {
            MetricsEndpoint(registry: MetricsEndpoint.bootstrap(), address: $0, logger: logger)
        }
        let service = SiftService(configuration: configuration, registry: registry, logger: logger) {
            try await options.load(overrides: overrides)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: service)]
        if let endpoint {
            // The endpoint failing to listen (a port in use) stops the daemon with the reason.
            services.append(.init(service: endpoint.service(), failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        defer { LogBootstrap.flush() }
        do {
            try await group.run()
        } catch let error as SiftError where [.invalidPipeline, .invalidConfiguration].contains(error.code) {
            logger.critical("invalid configuration: \(error)")
            throw ExitCode(78)
        } catch {
            logger.critical("siftd stopped on an error: \(error)")
            throw ExitCode(1)
        }
    }
}
