import ArgumentParser

/// `siftd eval …`: measure a model.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate a model on data.",
        subcommands: [EvalLanguageModelCommand.self, EvalEntityModelCommand.self, EvalSummaryCommand.self]
    )
}
