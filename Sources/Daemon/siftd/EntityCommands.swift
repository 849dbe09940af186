import ArgumentParser
import Foundation
import SiftEntityTagger

extension EntityTrainer.Settings.Algorithm: ExpressibleByArgument {}

/// `siftd train ner --data FILE --out FILE`.
struct TrainEntityModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner",
        abstract: "Train the entity tagger from a 'token TAG' (IOB2) file, holding out its last sentences for development."
    )

    @Option(help: "The training file, such as ../shared/data/ner/anercorp/train.txt.")
    var data: String

    @Option(help: "A directory of gazetteers (ANERGazet_Loc.txt, ANERGazet_Org.txt, ANERGazet_Pers.txt: one name per line).")
    var gazetteers: String?

    @Option(help: "Unicode CLDR locale files (common/main/<locale>.xml) for place and currency names, e.g. /usr/share/unicode/cldr/common/main/ar.xml (Debian: unicode-cldr-core).")
    var cldr: [String] = []

    @Option(help: "Word classes written by `siftd train word-classes`.")
    var classes: String?

    @Option(help: "A word list with Zipf frequencies (word<TAB>frequency<TAB>zipf, as ../shared/data/wordfreq/ar.tsv): how common a word is becomes a feature.")
    var frequencies: String?

    @Option(help: "A directory of unlabelled plain-text files: names a first model tags there often, and consistently, join the gazetteers of the final model; abbreviations in brackets after a name become its aliases.")
    var harvest: String?

    @Option(help: "Names to add to the gazetteers, type<TAB>name per line (as --harvest-out writes them).")
    var names: [String] = []

    @Option(help: "With --harvest: how many times to harvest with the latest model and retrain.")
    var harvestRounds: Int = 1

    @Option(help: "With --harvest: also write the harvested names here (type<TAB>name per line), to read them.")
    var harvestOut: String?

    @Option(help: "The last fraction of the sentences, held out for development and not trained on.")
    var holdout: Double = 0.1

    @Option(help: "Passes over the training sentences.")
    var epochs: Int = EntityTrainer.Settings().epochs

    @Option(help: "Seed of the order sentences are visited in.")
    var seed: UInt64 = EntityTrainer.Settings().seed

    @Option(help: "How each pass is learned: perceptron or crf.")
    var algorithm: EntityTrainer.Settings.Algorithm = EntityTrainer.Settings().algorithm

    @Option(help: "With --algorithm crf: the L2 penalty.")
    var l2: Double = EntityTrainer.Settings().l2

    @Option(help: "With --algorithm crf: L-BFGS iterations at most.")
    var iterations: Int = EntityTrainer.Settings().iterations

    @Option(help: "Features whose weights all stay below this are left out of the model.")
    var pruneBelow: Float = EntityTrainer.Settings().pruneBelow

    @Option(help: "Where to write the model.")
    var out: String

    func validate() throws {
        guard (0..<1).contains(holdout) else { throw ValidationError("--holdout must be at least 0 and below 1") }
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let sentences = try LabeledSentence.read(conll: try String(contentsOfFile: data, encoding: .utf8))
        let (train, development) = LabeledSentence.split(sentences, developmentFraction: holdout)
        var lexicon = EntityLexicon()
        if let gazetteers {
            for (file, type) in [("ANERGazet_Loc.txt", "LOC"), ("ANERGazet_Org.txt", "ORG"), ("ANERGazet_Pers.txt", "PERS")] {
                let text = try String(contentsOfFile: (gazetteers as NSString).appendingPathComponent(file), encoding: .utf8)
                lexicon.add(type: type, names: text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("==") })
            }
        }
        for file in cldr {
            let names = try CLDRNames(localeFile: file)
            lexicon.add(type: "LOC", names: names.places)
            // "دولار أمريكي": the name, and its head word, which news uses on its own.
            lexicon.add(type: "MISC", names: names.currencies + names.currencies.compactMap { $0.split(separator: " ").first.map(String.init) })
        }
        var wordClasses: [String: UInt16] = [:]
        if let classes {
            for line in try String(contentsOfFile: classes, encoding: .utf8).split(separator: "\n") {
                let fields = line.split(separator: "\t")
                if fields.count == 2, let value = UInt16(fields[1]) { wordClasses[String(fields[0])] = value }
            }
        }
        for file in names {
            var byType: [String: [String]] = [:]
            for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
                let fields = line.split(separator: "\t", maxSplits: 1)
                guard fields.count == 2, EntityTagSet.types.contains(String(fields[0])) else {
                    throw ValidationError("\(file): expected type<TAB>name lines with a type of \(EntityTagSet.types.joined(separator: ", ")), found '\(line)'")
                }
                byType[String(fields[0]), default: []].append(String(fields[1]))
            }
            for (type, list) in byType { lexicon.add(type: type, names: list) }
        }
        let bands = try frequencies.map { EntityFeatures.frequencyBands(wordList: try String(contentsOfFile: $0, encoding: .utf8)) } ?? []
        var settings = EntityTrainer.Settings()
        settings.epochs = epochs
        settings.seed = seed
        settings.algorithm = algorithm
        settings.l2 = l2
        settings.iterations = iterations
        settings.pruneBelow = pruneBelow
        let trainer = EntityTrainer(features: EntityFeatures(lexicon: lexicon, wordClasses: wordClasses, frequencyBands: bands), settings: settings)
        var model = await trainer.train(train) { print($0) }
        if let harvest {
            let texts = try textFiles(in: harvest)
            let baseLexicon = lexicon
            var aliases: [String: String] = [:]
            for round in 1...max(harvestRounds, 1) {
                var harvester = EntityHarvester()
                for text in texts { harvester.add(text: text, model: model) }
                let names = harvester.names()
                aliases = harvester.aliases()
                lexicon = baseLexicon
                for (type, list) in names { lexicon.add(type: type, names: list) }
                if let harvestOut {
                    let lines = names.sorted { $0.key < $1.key }.flatMap { type, list in list.map { "\(type)\t\($0)\n" } }.joined()
                    try Data(lines.utf8).write(to: URL(fileURLWithPath: harvestOut))
                }
                print("round \(round): harvested from \(texts.count) files: " + names.sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key)" }.joined(separator: ", ") + ", \(aliases.count) abbreviations")
                if !development.isEmpty { print(EntityReport(model: model, sentences: development).rendered) }
                model = await EntityTrainer(features: EntityFeatures(lexicon: lexicon, wordClasses: wordClasses, frequencyBands: bands), settings: settings).train(train) { print($0) }
            }
            model.aliases = aliases
        }
        let bytes = model.serialized()
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        print("wrote \(out): \(bytes.count) bytes, \(model.featureCount) features, \(train.count) sentences in \(clock.now - start)")
        if !development.isEmpty {
            print(EntityReport(model: model, sentences: development).rendered)
        }
    }
}

/// `siftd eval ner --data FILE --model FILE`.
struct EvalEntityModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner",
        abstract: "Entity-level precision, recall and F1 (exact span and type), micro and per type, and tokens per second."
    )

    @Option(help: "A 'token TAG' (IOB2) file.")
    var data: String

    @Option(help: "Score only the last fraction of the file's sentences (0.1: the development part `siftd train ner` holds out).")
    var last: Double?

    @Flag(help: "Also list the mistakes: '-' an entity missed, '+' one found wrongly (a wrong type or span is both).")
    var mistakes = false

    @Flag(help: "Also tell how well the names' confidences match how often they are right, by confidence band.")
    var calibration = false

    @OptionGroup var documents: DocumentSentencesOption

    @OptionGroup var model: EntityModelOption

    func run() throws {
        let model = try model.load()
        var sentences = try LabeledSentence.read(conll: try String(contentsOfFile: data, encoding: .utf8))
        if let last { sentences = LabeledSentence.split(sentences, developmentFraction: last).development }
        let report = EntityReport(model: model, sentences: sentences, documentSentences: documents.documentSentences)
        if mistakes { print(report.mistakes.joined(separator: "\n")) }
        print(report.rendered)
        if calibration { print(EntityReport.calibration(model: model, sentences: sentences, documentSentences: documents.documentSentences)) }
    }
}

/// `siftd tag`: one token per line on standard input, a blank line between sentences; `token<TAB>TAG` out.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Tag tokens read one per line (blank line between sentences, -DOCSTART- between documents): token<TAB>TAG (IOB2)."
    )

    @OptionGroup var documents: DocumentSentencesOption

    @OptionGroup var model: EntityModelOption

    func run() throws {
        let model = try model.load()
        var document: [[String]] = []
        // The lines after each sentence of the document as read (blank lines, -DOCSTART-), echoed as they were.
        var separators: [[String]] = []
        var sentence: [String] = []
        var output = StandardOutputBuffer()
        func tagDocument() {
            guard !document.isEmpty else { return }
            for (index, tags) in model.tag(document: document).enumerated() {
                for (token, tag) in zip(document[index], tags) { output.write("\(token)\t\(EntityTagSet.tags[tag])\n") }
                for line in separators[index] { output.write(line + "\n") }
            }
            document = []
            separators = []
        }
        func endSentence() {
            guard !sentence.isEmpty else { return }
            if document.count == documents.documentSentences { tagDocument() }
            document.append(sentence)
            separators.append([])
            sentence = []
        }
        while let line = readLine(strippingNewline: true) {
            let token = line.trimmingCharacters(in: .whitespaces)
            guard token.isEmpty || token == "-DOCSTART-" else {
                sentence.append(token)
                continue
            }
            endSentence()
            if separators.isEmpty { output.write(token + "\n") } else { separators[separators.count - 1].append(token) }
            if token == "-DOCSTART-" { tagDocument() }
        }
        endSentence()
        tagDocument()
        output.flush()
    }
}

/// How many sentences make a document, for data that marks none.
struct DocumentSentencesOption: ParsableArguments {
    @Option(help: "Sentences read as one document where the input marks none: names found in one inform the others.")
    var documentSentences: Int = EntityTrainer.Settings().documentSentences

    func validate() throws {
        guard documentSentences > 0 else { throw ValidationError("--document-sentences must be positive") }
    }
}

/// The entity model option of the commands that tag.
struct EntityModelOption: ParsableArguments {
    @Option(help: "An entity model file, as written by `siftd train ner` (default: the bundled model).")
    var model: String?

    func load() throws -> EntityModel {
        do {
            return try model.map { try EntityModel(contentsOf: URL(fileURLWithPath: $0)) } ?? BundledEntityModel.load()
        } catch let error as EntityModelError {
            throw ValidationError(error.message)
        }
    }
}

/// Scores a model on sentences and renders the figures.
struct EntityReport {
    var evaluation = EntityEvaluation()
    var tokens = 0
    var seconds = 0.0
    /// The entities missed, found wrongly, or given the wrong type, one per line, sentence by sentence.
    var mistakes: [String] = []

    init(model: EntityModel, sentences: [LabeledSentence], documentSentences: Int = EntityTrainer.Settings().documentSentences) {
        let clock = ContinuousClock()
        let start = clock.now
        // Without document boundaries in the data, documents are runs of consecutive sentences, as in training.
        let documents = EntityTrainer.documents(count: sentences.count, size: documentSentences)
        let predictions = documents.flatMap { model.tag(document: $0.map { sentences[$0].tokens }) }
        let elapsed = (clock.now - start).components
        seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        for (sentence, predicted) in zip(sentences, predictions) {
            evaluation.add(gold: sentence.tags, predicted: predicted)
            tokens += sentence.tokens.count
            mistakes += Self.mistakes(sentence, predicted)
        }
    }

    /// The names found, by confidence band: how many, their mean confidence, and the share
    /// exactly right (span and type).
    static func calibration(model: EntityModel, sentences: [LabeledSentence], documentSentences: Int) -> String {
        let bands: [Double] = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.000_001]
        var counts = [(found: Int, right: Int, confidence: Double)](repeating: (0, 0, 0), count: bands.count - 1)
        for document in EntityTrainer.documents(count: sentences.count, size: documentSentences) {
            let tagged = model.tagWithMargins(document: document.map { sentences[$0].tokens })
            for (index, tags) in zip(document, tagged) {
                let gold = EntityEvaluation.entities(sentences[index].tags)
                for entity in EntityEvaluation.entities(tags.map(\.tag)) {
                    let confidence = model.confidence(ofMargins: tags[entity.range].map(\.margin))
                    let band = bands.indices.dropLast().last { bands[$0] <= confidence }!
                    counts[band].found += 1
                    counts[band].confidence += confidence
                    if gold.contains(where: { $0.type == entity.type && $0.range == entity.range }) { counts[band].right += 1 }
                }
            }
        }
        var lines = ["confidence   names   mean confidence   right"]
        for (band, count) in counts.enumerated() where count.found > 0 {
            lines.append(String(
                format: "%.2f–%.2f %7d %17.3f %7.3f", bands[band], min(bands[band + 1], 1), count.found,
                count.confidence / Double(count.found), Double(count.right) / Double(count.found)))
        }
        return lines.joined(separator: "\n")
    }

    /// `-` a missed entity, `+` a wrong one, in the sentence's words (the entity in brackets).
    static func mistakes(_ sentence: LabeledSentence, _ predicted: [Int]) -> [String] {
        let gold = EntityEvaluation.entities(sentence.tags)
        let found = EntityEvaluation.entities(predicted)
        func render(_ sign: String, _ entity: (type: String, range: Range<Int>)) -> String {
            let before = sentence.tokens[max(0, entity.range.lowerBound - 4)..<entity.range.lowerBound].joined(separator: " ")
            let after = sentence.tokens[entity.range.upperBound..<min(sentence.tokens.count, entity.range.upperBound + 4)].joined(separator: " ")
            let name = sentence.tokens[entity.range].joined(separator: " ")
            return "\(sign) \(entity.type)\t\(before) [\(name)] \(after)"
        }
        let missed = gold.filter { entity in !found.contains { $0.type == entity.type && $0.range == entity.range } }
        let wrong = found.filter { entity in !gold.contains { $0.type == entity.type && $0.range == entity.range } }
        return missed.map { render("-", $0) } + wrong.map { render("+", $0) }
    }

    var rendered: String {
        func line(_ name: String, _ counts: EntityEvaluation.Counts) -> String {
            String(
                format: "%@ precision %6.2f%%  recall %6.2f%%  F1 %6.2f%%  (%d gold, %d predicted, %d correct)",
                name.padding(toLength: 6, withPad: " ", startingAt: 0),
                counts.precision * 100, counts.recall * 100, counts.f1 * 100, counts.gold, counts.predicted, counts.truePositives)
        }
        var lines = [line("all", evaluation.overall)]
        for type in EntityTagSet.types { lines.append(line(type, evaluation.perType[type] ?? .init())) }
        lines.append(String(format: "%d tokens in %.3f s: %.0f tokens per second", tokens, seconds, Double(tokens) / max(seconds, 1e-9)))
        return lines.joined(separator: "\n")
    }
}

/// `siftd train word-classes --corpus DIR --out FILE`.
struct TrainWordClassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "word-classes",
        abstract: "Learn word classes for the entity tagger from unlabelled text files (word<TAB>class per line out)."
    )

    @Option(help: "A directory of plain-text files, such as ../shared/data/corpus/ant-cnn-arabic.")
    var corpus: String

    @Option(help: "Also learn from the tokens of a 'token TAG' file (tags ignored), such as the tagger's training data.")
    var conll: String?

    @Option(help: "With --conll: leave out its last fraction of sentences (the tagger's development part).")
    var holdout: Double = 0.1

    @Option(help: "Classes of the fine clustering (at most 1024).")
    var fineClasses: Int = WordClassTrainer.Settings().fineClasses

    @Option(help: "Classes of the coarse clustering (at most 64).")
    var coarseClasses: Int = WordClassTrainer.Settings().coarseClasses

    @Option(help: "Where to write the classes.")
    var out: String

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        var settings = WordClassTrainer.Settings()
        settings.fineClasses = fineClasses
        settings.coarseClasses = coarseClasses
        var trainer = WordClassTrainer(settings: settings)
        if let conll {
            let sentences = try LabeledSentence.read(conll: try String(contentsOfFile: conll, encoding: .utf8))
            for sentence in LabeledSentence.split(sentences, developmentFraction: holdout).train {
                trainer.add(text: sentence.tokens.joined(separator: " "))
            }
        }
        let texts = try textFiles(in: corpus)
        for text in texts { trainer.add(text: text) }
        let classes = trainer.build()
        let lines = classes.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }.joined()
        try Data(lines.utf8).write(to: URL(fileURLWithPath: out))
        print("wrote \(out): \(classes.count) words from \(texts.count) files in \(clock.now - start)")
    }
}

/// The contents of a directory's `.txt` files, in name order (an unlabelled corpus).
func textFiles(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".txt") }.sorted().map {
        try String(contentsOfFile: (directory as NSString).appendingPathComponent($0), encoding: .utf8)
    }
}
