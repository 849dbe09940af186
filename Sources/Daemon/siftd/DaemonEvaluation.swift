import ArgumentParser
import Foundation
import Logging
import SiftDaemon
import SiftPluginAPI
import SystemPackage

/// The options every `siftd eval …` takes: the configuration whose pipeline and stage options
/// are measured, read as `siftd process --config` reads it, and whether to print what was scored.
struct EvaluationOptions: ParsableArguments {
    @Option(
        help: """
            The YAML configuration whose pipeline and stage options are measured, read as `siftd process \
            --config` reads it (default: /etc/siftd/siftd.yaml when it exists; SIFTD_… variables apply too).
            """)
    var config: String?

    @Flag(
        help: """
            Also print, before the scores, each document the daemon's pipeline ran on: one JSON object per \
            line with its name, its text and its annotations (as a result's `annotations` holds them).
            """)
    var results = false
}

/// The daemon's pipeline as `siftd process` builds and runs it — the plugins siftd registers,
/// the configured stages and options, the daemon's ingestor — cut after the stage that
/// provides the capability an evaluation scores (later stages cannot change it).
///
/// The evaluations go through this rather than calling a library, so that what they measure
/// is what the daemon writes into `annotations.<capability>`.
struct DaemonPipeline {
    /// The capability scored.
    let capability: String
    /// The stages run: the configured ones up to the provider of ``capability``.
    let pipeline: Pipeline
    /// What `siftd process` reads a file with.
    let processor: OneShotProcessor

    /// The resolved options of the stage that provides ``capability``.
    var provider: PipelineStage { pipeline.stages[pipeline.stages.count - 1] }

    /// Loads the configuration and builds the stages that ``capability`` depends on.
    /// - Parameters:
    ///   - providerOptions: Options set on the providing stage over the configured ones, as
    ///     a configuration file setting them under that stage's `options` would (`nil` removes one).
    static func load(
        configurationFile: String?, capability: String, providerOptions: [String: JSONValue?] = [:]
    ) async throws -> DaemonPipeline {
        let plugins = try Siftd.plugins()
        let configuration = try await plugins.configurationLoader.load(
            file: configurationFile.map { FilePath($0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0) },
            environment: ProcessInfo.processInfo.environment, overrides: [:])
        var logger = Logger(label: "siftd", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = configuration.logLevel
        let builder = PipelineBuilder(registry: plugins.registry, logger: logger)
        // What a stage provides is known for certain only once it is built (an external plugin
        // declares it in its handshake): build all, then again only as far as the provider.
        let full = try await builder.build(configuration.stages)
        let index = full.stages.firstIndex { $0.descriptor.provides.contains(capability) }
        await full.shutdown()
        guard let index else {
            let names = configuration.stages.map(\.name).joined(separator: ", ")
            throw ValidationError("no stage of the configured pipeline (\(names)) provides '\(capability)'")
        }
        var stages = Array(configuration.stages[...index])
        for (name, value) in providerOptions { stages[index].options[name] = value }
        let pipeline = try await builder.build(stages)
        let processor = OneShotProcessor(
            pipeline: pipeline, ingestor: DocumentIngestor(limits: configuration.ingestionLimits),
            instance: configuration.instance, ingestTimeout: configuration.ingestTimeout)
        return DaemonPipeline(capability: capability, pipeline: pipeline, processor: processor)
    }

    /// A file's text and annotations, as `siftd process FILE` gives them.
    func run(file: String) async throws -> DaemonOutput {
        let record = try await processor.process(FilePath(file))
        return DaemonOutput(text: record.text, annotations: record.annotations)
    }

    /// The annotations of a document of plain `text` called `name`: what ingesting a UTF-8 `.txt`
    /// file holding `text` gives when it accepts it (the text as it is, no title), through the
    /// same stages as ``run(file:)``.
    ///
    /// For test lines and sentences, which are not files: ingestion would add nothing to them
    /// but refusals of lines that say nothing about the stage measured (a stray C1 control
    /// character, a mis-decoded apostrophe, makes a short text "binary").
    func run(text: String, name: String) async throws -> DaemonOutput {
        let document = Document(id: UUID().uuidString.lowercased(), name: name, title: nil, text: text, format: InputFormat.text.rawValue)
        let run = await pipeline.run(document)
        if let failing = run.failingStage {
            throw SiftError(.pluginFailed, "stage '\(failing.stage)' \(failing.status): \(failing.error?.message ?? "")")
        }
        return DaemonOutput(text: text, annotations: run.annotations)
    }

    /// A stage's resolved options, `name value` sorted by name, for a report.
    static func describe(_ stage: PipelineStage, except left: Set<String> = []) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return stage.options.values.filter { !left.contains($0.key) }.sorted { $0.key < $1.key }.map { name, value in
            "\(name) " + ((try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?")
        }.joined(separator: ", ")
    }

    /// Stops the stages' resources.
    func shutdown() async {
        await pipeline.shutdown()
    }
}

/// What the daemon made of one document.
struct DaemonOutput {
    /// The extracted text: the offsets of the annotations count Unicode scalars into it.
    var text: String
    /// The annotations by capability, as in a result's `annotations`.
    var annotations: [String: JSONValue]

    /// The line `--results` prints for it.
    func resultLine(name: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let object: JSONValue = ["name": .string(name), "text": .string(text), "annotations": .object(annotations)]
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }
}

/// Counts documents the scored stage left without its capability, for the report.
struct MissingAnnotations {
    var count = 0
    var firstReason: String?

    mutating func add(_ reason: String) {
        count += 1
        if firstReason == nil { firstReason = reason }
    }

    /// A line for the report, or `nil` when every document was annotated.
    func line(of total: Int, capability: String, scoredAs: String) -> String? {
        guard count > 0 else { return nil }
        return "\(count) of \(total) documents got no \(capability) (scored as \(scoredAs)); the first: \(firstReason ?? "")"
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
