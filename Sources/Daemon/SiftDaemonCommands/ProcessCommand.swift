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
            standard error, and the exit status is then 1. For many files, give their paths one \
            per line with --files-from (- reads them from standard input as they come): the \
            command line's own limits do not apply there.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Option(name: .long, help: "Write each result into this directory as NAME.json instead of printing it.")
    var outbox: String?

    @Flag(name: .long, help: "Print (or write) indented JSON rather than one object per line.")
    var pretty = false

    @Option(
        name: .long,
        help: ArgumentHelp("Also process the files listed in FILE, one path per line ('-': standard input).", valueName: "FILE"))
    var filesFrom: String?

    @Argument(help: "The files to process.")
    var files: [String] = []

    func validate() throws {
        guard !files.isEmpty || filesFrom != nil else {
            throw ValidationError("Give the files to process, or --files-from.")
        }
    }

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
        func process(_ file: FilePath) async {
            do {
                let record = try await processor.process(file)
                if let outbox {
                    let name = try processor.write(record, to: outbox, format: pretty ? .pretty : configuration.resultFormat)
                    print("\(file)\t\(outbox.appending(name))")
                } else {
                    FileHandle.standardOutput.write(Data(try OneShotProcessor.encode(record, pretty: pretty)))
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("siftd: \(file): \(error)\n".utf8))
            }
        }
        for file in files { await process(FilePath(file)) }
        if let filesFrom {
            do {
                try await processList(filesFrom, with: process)
            } catch {
                await pipeline.shutdown()
                throw error
            }
        }
        await pipeline.shutdown()
        if failures > 0 { throw ExitCode(1) }
    }

    /// Processes the paths listed in `list` (`-`: standard input) as they are read.
    private func processList(_ list: String, with process: (FilePath) async -> Void) async throws {
        let descriptor: FileDescriptor
        do {
            descriptor = list == "-" ? .standardInput : try FileDescriptor.open(FilePath(list), .readOnly, options: .closeOnExec)
        } catch {
            throw SiftError(.io, "cannot read the list of files \(list): \(error)")
        }
        defer { if list != "-" { try? descriptor.close() } }
        var reader = PathListReader(descriptor)
        var invalid = 0
        while let line = try reader.next() {
            switch line {
            case .path(let path):
                await process(path)
            case .invalid(let number, let reason):
                invalid += 1
                FileHandle.standardError.write(Data("siftd: \(list):\(number): the line \(reason); skipped\n".utf8))
            }
        }
        if invalid > 0 { throw ExitCode(1) }
    }
}
