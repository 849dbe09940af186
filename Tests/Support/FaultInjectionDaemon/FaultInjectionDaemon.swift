import ArgumentParser
import Foundation
import SiftBuiltinPlugins
import SiftDaemonCommands
import SiftPluginAPI

/// siftd with one more plugin, `fault`, for the end-to-end tests of what happens when a document
/// kills the process: it calls `abort()` on a document that holds `ABORT-SIFTD`.
///
/// It is also the smallest daemon of one's own: the built-in plugins plus one, on siftd's
/// command line (`FaultInjectionDaemon run --spool DIR …`).
struct FaultInjectionDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "FaultInjectionDaemon", subcommands: SiftDaemonCommands.all)

    struct AbortOnMarker: DocumentProcessor {
        func process(_ document: Document) async throws -> [String: JSONValue] {
            if document.text.contains("ABORT-SIFTD") { abort() }
            return ["survived": true]
        }
    }

    static let fault = PluginRegistration(
        descriptor: PluginDescriptor(
            name: "fault", version: "1", summary: "Aborts the process on a document that holds ABORT-SIFTD.",
            provides: ["fault"]
        ),
        makeProcessor: { _ in AbortOnMarker() }
    )
}

@main
enum Main {
    static func main() async {
        await SiftDaemonCommands.main(FaultInjectionDaemon.self) {
            try DaemonPlugins(BuiltinPlugins.all + [FaultInjectionDaemon.fault], defaultPipeline: BuiltinPlugins.defaultPipeline)
        }
    }
}
