import ArgumentParser
import Foundation
import Logging
import SiftDaemon
import SystemPackage

/// `siftd process FILE…`: one-shot processing without a spool.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process files once and print each result as JSON (or write them to --outbox)."
    )

    @OptionGroup var options: ConfigurationOptions

    @Argument(help: "The files to process.")
    var files: [String]

    func run() async throws {
        Logging.bootstrap(target: .console)
        let logger = Logger(label: "siftd")
        let registry = try StandardPlugins.registry()
        let configuration = try await options.load(registry: registry)
        var pipelineLogger = logger
        pipelineLogger.logLevel = configuration.logLevel
        let pipeline = try await PipelineBuilder(registry: registry, logger: pipelineLogger).build(configuration.stages)
        let processor = OneShotProcessor(
            pipeline: pipeline, ingestor: DocumentIngestor(limits: configuration.ingestionLimits),
            instance: configuration.instance, ingestTimeout: configuration.ingestTimeout
        )
        var failures = 0
        for file in files {
            do {
                let (record, bytes) = try await processor.process(FilePath(file))
                if let outbox = options.outbox {
                    let name = try processor.write(bytes, name: record.source.name, documentID: record.documentID, to: FilePath(outbox))
                    print("\(file)\t\(outbox)/\(name)")
                } else {
                    FileHandle.standardOutput.write(Data(bytes))
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
