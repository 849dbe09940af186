import ArgumentParser
import SiftBuiltinPlugins
import SiftDaemon
import SiftDaemonCommands

/// `siftd`: the document-processing daemon and its tools.
struct SiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siftd",
        abstract: "Watches an inbox and runs every new document through a pipeline of plugins.",
        version: SiftVersion.current,
        subcommands: SiftDaemonCommands.all + [
            LanguageIDCommand.self, TagCommand.self, SummarizeCommand.self, TrainCommand.self, EvalCommand.self,
        ]
    )
}

/// The composition root: the built-in plugins and the default pipeline, handed to the daemon.
@main
enum Siftd {
    static func main() async {
        await SiftDaemonCommands.main(SiftCommand.self, plugins: plugins)
    }

    /// The plugins siftd runs; `siftd eval` measures these, so its figures are the daemon's.
    @Sendable static func plugins() throws -> DaemonPlugins {
        try DaemonPlugins(BuiltinPlugins.all, defaultPipeline: BuiltinPlugins.defaultPipeline)
    }
}
