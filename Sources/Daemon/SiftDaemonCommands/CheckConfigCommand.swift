import ArgumentParser
import Logging
import SiftDaemon

/// `siftd check-config`: validate the configuration and the pipeline without processing anything.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and build the pipeline (starting external plugins), then exit."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var spool: SpoolOptions

    func run() async throws {
        LogBootstrap.bootstrap(target: .console)
        let registry = try SiftDaemonCommands.plugins().registry
        let configuration: SiftConfiguration
        do {
            configuration = try await options.load(overrides: spool.overrides)
            var logger = Logger(label: "siftd")
            logger.logLevel = .warning
            let pipeline = try await PipelineBuilder(registry: registry, logger: logger).build(configuration.stages)
            await pipeline.shutdown()
        } catch {
            print("siftd: configuration invalid: \(error)")
            throw ExitCode(78)
        }
        print("configuration OK\(configuration.file.map { " (\($0))" } ?? " (built-in defaults)")")
        print("  inbox \(configuration.layout.inbox), outbox \(configuration.layout.outbox)")
        print("  instance \(configuration.instance), \(configuration.workers) workers, watch \(configuration.watchMode.rawValue)")
        print("  pipeline: \(configuration.stages.map { $0.name == $0.plugin ? $0.name : "\($0.name) (\($0.plugin))" }.joined(separator: " → "))")
    }
}
