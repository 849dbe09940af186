import Foundation
public import SiftPluginAPI
import SystemPackage

/// The `external` plugin kind: a stage implemented by a long-running child process in any language.
///
/// The child is started from an argument vector (never a shell), declares its name, version,
/// requirements and capabilities in a hello line, and then answers one JSON request per line.
/// See the README's "Writing an external plugin" for the protocol.
public enum ExternalPlugin {
    /// The registration of the `external` kind, which every daemon registers beside its own plugins.
    public static let registration = PluginRegistration(
        descriptor: PluginDescriptor(
            name: "external",
            version: SiftVersion.current,
            summary: "Runs a stage in a child process that speaks JSON lines (any language).",
            provides: [],
            options: [
                PluginOptionSpec(
                    "command", .stringList, default: nil, summary: "The program and its arguments; run directly, never through a shell."),
                PluginOptionSpec("working_directory", .string, default: "", summary: "The child's working directory (default: siftd's)."),
                PluginOptionSpec(
                    "handshake_timeout_ms", .integer(100...600_000), default: 10_000, summary: "How long the child may take to say hello."),
                PluginOptionSpec(
                    "max_response_bytes", .integer(1024...(1 << 30)), default: .int(16 << 20), summary: "The longest response line accepted."),
                PluginOptionSpec(
                    "processes", .integer(1...64), default: 1, summary: "How many child processes serve the stage; each document goes to a free one."),
            ]
        ),
        declaresAtRuntime: true,
        makeInstance: { context in
            let argv = context.options.strings("command") ?? []
            guard let program = argv.first, !program.isEmpty else {
                throw PluginError(.invalidOption, "option 'command' must name a program")
            }
            let directory = context.options.string("working_directory") ?? ""
            let client = ExternalPluginClient(
                settings: .init(
                    stage: context.stageName, argv: argv, workingDirectory: directory.isEmpty ? nil : FilePath(directory),
                    handshakeTimeout: .milliseconds(context.options.int("handshake_timeout_ms") ?? 10_000),
                    maxResponseBytes: context.options.int("max_response_bytes") ?? 16 << 20,
                    processes: context.options.int("processes") ?? 1
                ),
                logger: context.logger
            )
            let descriptor: PluginDescriptor
            do {
                descriptor = try await client.start()
            } catch {
                await client.shutdown()
                throw error
            }
            return PluginInstance(
                processor: ExternalStageProcessor(client: client), descriptor: descriptor,
                shutdown: { await client.shutdown() }
            )
        }
    )
}

/// The processor of an external stage: forwards each document to a free child process.
struct ExternalStageProcessor: TimeoutEnforcingProcessor {
    let client: ExternalPluginClient

    /// Outside a pipeline there is no stage timeout; an hour is the backstop.
    func process(_ document: Document) async throws -> [String: JSONValue] {
        try await client.process(document, timeout: .seconds(3600))
    }

    /// The timeout runs from when the document is sent to a process, not while it waits for one.
    func process(_ document: Document, timeout: Duration) async throws -> [String: JSONValue] {
        try await client.process(document, timeout: timeout)
    }
}
