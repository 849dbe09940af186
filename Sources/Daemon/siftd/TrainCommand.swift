import ArgumentParser

/// `siftd train …`: train the models siftd ships.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a model from data.",
        subcommands: [TrainLanguageModelCommand.self, TrainEntityModelCommand.self, TrainWordClassesCommand.self]
    )
}
