import ArgumentParser
import Configuration
import Foundation
import Logging
import SiftDaemon
import SystemPackage

/// `siftd process FILE…`: one-shot processing without a spool.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process files once and print each result: one JSON object per line (or write them to --outbox).",
        discussion: """
            Results are printed in the order of the files, one compact JSON object per line (JSON \
            Lines), or indented with --pretty. A file that cannot be processed is reported on \
            standard error, and the exit status is then 1.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Option(name: .long, help: "Write each result into this directory as NAME.json instead of printing it.")
    var outbox: String?

    @Flag(name: .long, help: "Print indented JSON rather than one object per line.")
    var pretty = false

    @Argument(help: "The files to process.")
    var files: [String]

    func run() async throws {
        LogBootstrap.bootstrap(target: .console)
        let logger = Logger(label: "siftd")
        let registry = try SiftDaemonCommands.plugins().registry
        let configuration = try await options.load()
        var pipelineLogger = logger
        pipelineLogger.logLevel = configuration.logLevel
        let pipeline = try await PipelineBuilder(registry: registry, logger: pipelineLogger).build(configuration.stages)
        let processor = OneShotProcessor(
            pipeline: pipeline, ingestor: DocumentIngestor(limits: configuration.ingestionLimits),
            instance: configuration.instance, ingestTimeout: configuration.ingestTimeout
        )
        let outbox = outbox.map { FilePath(ConfigurationOptions.absolute($0)) }
        var failures = 0
        for file in files {
            do {
                let record = try await processor.process(FilePath(file))
                if let outbox {
                    let name = try processor.write(record, to: outbox)
                    print("\(file)\t\(outbox.appending(name))")
                } else {
                    FileHandle.standardOutput.write(Data(try OneShotProcessor.encode(record, pretty: pretty)))
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("siftd: \(file): \(error)\n".utf8))
            }
        }
        await pipeline.shutdown()
        if failures > 0 { throw ExitCode(1) }
    }
}
