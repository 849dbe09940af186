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
struct EvalLanguageModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid",
        abstract:
            "Accuracy per category (sentences/, word-pairs/, single-words/ with <code>.txt files), worst languages, the ar/fa/ur confusion, lines per second.",
        discussion: """
            Each line becomes a plain-text document of its own, as `siftd process` makes of a UTF-8 .txt file \
            holding just that line, and goes through the configured pipeline with the configured options (the \
            plugins siftd runs), up to the stage that provides `language`. What is scored is that stage's \
            `annotations.language.code`: `und` (below its min_confidence, or no words) counts as wrong. The \
            lines are not ingested (they are not files), so a line that ingestion would refuse is still \
            measured. Only languages the stage's model knows count. The time covers every stage.
            """
    )

    @Option(help: "A directory laid out like ../shared/data/langid/dev.")
    var data: String

    @Option(help: "A language model file, as written by `siftd train langid`: the language stage's `model` option (default: the configured one).")
    var model: String?

    @OptionGroup var daemon: EvaluationOptions

    func run() async throws {
        let stages = try await DaemonPipeline.load(
            configurationFile: daemon.config, capability: "language",
            providerOptions: model.map { ["model": .string(URL(fileURLWithPath: $0).path)] } ?? [:])
        // The languages the stage can answer: those of the model it was configured with.
        let modelPath = stages.provider.options.string("model").flatMap { $0.isEmpty ? nil : $0 }
        let supported: Set<String>
        do {
            supported = Set(
                try modelPath.map { try LanguageModel(contentsOf: URL(fileURLWithPath: $0)) }?.languages ?? BundledLanguageModel.load().languages)
        } catch let error as LanguageModelError {
            throw ValidationError(error.message)
        }
        var report = LanguageReport()
        var missing = MissingAnnotations()
        var output = StandardOutputBuffer()
        let clock = ContinuousClock()
        let directory = URL(fileURLWithPath: data)
        for category in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            let folder = directory.appendingPathComponent(category)
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            var results = LanguageReport.Category(name: category)
            for file in files.sorted() where file.hasSuffix(".txt") {
                let code = String(file.dropLast(4))
                let expected = LanguageEvaluation.equivalents[code] ?? code
                guard supported.contains(expected) else { continue }
                let samples = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                    .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
                for (number, sample) in samples.enumerated() {
                    let start = clock.now
                    var guess = ""  // no annotation: wrong, and not `und`
                    do {
                        let result = try await stages.run(text: sample, name: "\(code)-\(number + 1).txt")
                        if let found = result.annotations["language"]?["code"]?.stringValue {
                            guess = found
                        } else {
                            missing.add("\(category)/\(file) line \(number + 1): \(stages.capability) was not provided")
                        }
                        if daemon.results {
                            output.write(try result.resultLine(name: "\(category)/\(file):\(number + 1)") + "\n")
                        }
                    } catch {
                        missing.add("\(category)/\(file) line \(number + 1): \(error)")
                    }
                    results.time += clock.now - start
                    results.add(expected: expected, guess: guess)
                }
            }
            if !results.perLanguage.isEmpty { report.categories.append(results) }
        }
        await stages.shutdown()
        output.write(report.rendered + "\n")
        output.write("measured: stage '\(stages.provider.name)', options \(DaemonPipeline.describe(stages.provider))\n")
        if let line = missing.line(of: report.lines, capability: "language", scoredAs: "wrong") { output.write(line + "\n") }
        output.flush()
    }
}

/// The figures of `siftd eval langid`, rendered as `LanguageEvaluation` renders a detector's.
struct LanguageReport {
    /// One category of test lines.
    struct Category {
        var name: String
        var perLanguage: [String: (correct: Int, total: Int)] = [:]
        /// `confusion[truth][guess]` among ar, fa and ur.
        var confusion: [String: [String: Int]] = [:]
        var time: Duration = .zero
        /// Lines the stage found no language in (`und`: below its min_confidence, or no words).
        var undetermined = 0

        var lines: Int { perLanguage.values.reduce(0) { $0 + $1.total } }
        var accuracies: [String: Double] { perLanguage.mapValues { Double($0.correct) / Double(max($0.total, 1)) } }
        var mean: Double { accuracies.values.reduce(0, +) / Double(max(accuracies.count, 1)) }

        mutating func add(expected: String, guess: String) {
            perLanguage[expected, default: (0, 0)].total += 1
            if guess == expected { perLanguage[expected, default: (0, 0)].correct += 1 }
            if guess == "und" { undetermined += 1 }
            if ["ar", "fa", "ur"].contains(expected) { confusion[expected, default: [:]][guess, default: 0] += 1 }
        }
    }

    var categories: [Category] = []
    var lines: Int { categories.reduce(0) { $0 + $1.lines } }

    var rendered: String {
        var lines: [String] = []
        for category in categories {
            let accuracies = category.accuracies
            lines.append(
                String(
                    format: "%@: %.2f%% mean accuracy over %d languages, %.0f lines per second", category.name, category.mean * 100,
                    accuracies.count, Double(category.lines) / max(category.time.inSeconds, 1e-9)))
            if category.undetermined > 0 { lines.append("  und: \(category.undetermined) of \(category.lines) lines") }
            let worst = accuracies.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }.prefix(5)
            lines.append("  worst: " + worst.map { String(format: "%@ %.1f%%", $0.key, $0.value * 100) }.joined(separator: ", "))
            for code in ["ar", "fa", "ur"] {
                if let accuracy = accuracies[code] { lines.append(String(format: "  %@: %.1f%%", code, accuracy * 100)) }
            }
            if !category.confusion.isEmpty {
                lines.append("  ar/fa/ur confusion (rows: truth; columns: ar fa ur other)")
                for truth in ["ar", "fa", "ur"] {
                    let row = category.confusion[truth] ?? [:]
                    let other = row.filter { !["ar", "fa", "ur"].contains($0.key) }.values.reduce(0, +)
                    lines.append("    \(truth): \(row["ar"] ?? 0) \(row["fa"] ?? 0) \(row["ur"] ?? 0) \(other)")
                }
            }
        }
        let time = categories.reduce(Duration.zero) { $0 + $1.time }
        lines.append(String(format: "%.0f lines per second (every stage)", Double(self.lines) / max(time.inSeconds, 1e-9)))
        return lines.joined(separator: "\n")
    }
}
