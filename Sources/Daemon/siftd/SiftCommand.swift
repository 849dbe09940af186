import ArgumentParser
import Foundation
import Logging
import SiftDaemon

/// `siftd`: the document-processing daemon and its tools.
@main
struct SiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siftd",
        abstract: "Watches an inbox and runs every new document through a pipeline of plugins.",
        version: SiftVersion.current,
        subcommands: [
            RunCommand.self, ProcessCommand.self, PluginsCommand.self, CheckConfigCommand.self, LanguageIDCommand.self, TagCommand.self, SummarizeCommand.self,
            TrainCommand.self, EvalCommand.self,
        ],
        defaultSubcommand: nil
    )
}
