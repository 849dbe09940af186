import ArgumentParser
import Foundation
import SiftLanguageID

/// `siftd train langid --data DIR --out FILE`.
struct TrainLanguageModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid",
        abstract: "Train the language-identification model from word-frequency lists (<code>.tsv: word, frequency)."
    )

    @Option(help: "The directory of word lists, such as ../shared/data/wordfreq.")
    var data: String

    @Option(help: "Where to write the model.")
    var out: String

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        var trainer = LanguageModelTrainer()
        for (code, words) in try LanguageModelTrainer.readWordLists(directory: URL(fileURLWithPath: data)) {
            trainer.add(language: code, words: words)
        }
        let bytes = trainer.build().serialized()
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        print("wrote \(out): \(bytes.count) bytes in \(clock.now - start)")
    }
}

/// Options for commands that use the language model.
struct LanguageModelOption: ParsableArguments {
    @Option(help: "A language model file, as written by `siftd train langid` (default: the bundled model).")
    var model: String?

    func load() throws -> LanguageModel {
        do {
            return try model.map { try LanguageModel(contentsOf: URL(fileURLWithPath: $0)) } ?? BundledLanguageModel.load()
        } catch let error as LanguageModelError {
            throw ValidationError(error.message)
        }
    }
}

/// `siftd langid`: one sample per line on standard input, `code<TAB>confidence` per line out.
struct LanguageIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid", abstract: "Identify the language of each line of standard input: code<TAB>confidence."
    )

    @OptionGroup var model: LanguageModelOption

    func run() throws {
        let detector = LanguageDetector(model: try model.load())
        var output = StandardOutputBuffer()
        while let line = readLine(strippingNewline: true) {
            let guess = detector.detect(line)
            output.write("\(guess.code)\t\(String(format: "%.4f", guess.confidence))\n")
        }
        output.flush()
    }
}

/// `siftd eval langid --data DIR`.
struct EvalLanguageModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid",
        abstract: "Accuracy per category (sentences/, word-pairs/, single-words/ with <code>.txt files), worst languages, the ar/fa/ur confusion, lines per second."
    )

    @Option(help: "A directory laid out like ../shared/data/langid/dev.")
    var data: String

    @OptionGroup var model: LanguageModelOption

    func run() throws {
        let detector = LanguageDetector(model: try model.load())
        let report = try LanguageEvaluation(detector: detector).run(directory: URL(fileURLWithPath: data))
        print(report.rendered)
    }
}
