import ArgumentParser
import Foundation
import SiftEntityTagger
import SiftPluginAPI

extension EntityTrainer.Settings.Algorithm: ExpressibleByArgument {}

/// How a file of gold entities is laid out.
enum EntityDataFormat: String, ExpressibleByArgument, CaseIterable {
    /// `token TAG` lines with the tagger's tags, a blank line between sentences (ANERcorp).
    case conll
    /// WikiFANE Gold (``WikiFANECorpus``).
    case wikifane

    /// The sentences of a file's text.
    func sentences(_ text: String) throws -> [LabeledSentence] {
        switch self {
        case .conll: try LabeledSentence.read(conll: text)
        case .wikifane: try WikiFANECorpus.sentences(text)
        }
    }
}

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

    @Option(
        help:
            "Unicode CLDR locale files (common/main/<locale>.xml) for place and currency names, e.g. /usr/share/unicode/cldr/common/main/ar.xml (Debian: unicode-cldr-core)."
    )
    var cldr: [String] = []

    @Option(help: "Word classes written by `siftd train word-classes`.")
    var classes: String?

    @Option(
        help:
            "A word list with Zipf frequencies (word<TAB>frequency<TAB>zipf, as ../shared/data/wordfreq/ar.tsv): how common a word is becomes a feature."
    )
    var frequencies: String?

    @Option(
        help:
            "A directory of unlabelled plain-text files: names a first model tags there often, and consistently, join the gazetteers of the final model; abbreviations in brackets after a name become its aliases."
    )
    var harvest: String?

    @Option(help: "Names to add to the gazetteers, type<TAB>name per line (as --harvest-out writes them).")
    var names: [String] = []

    @Option(help: "With --harvest: how many times to harvest with the latest model and retrain.")
    var harvestRounds: Int = 1

    @Option(help: "With --harvest: also write the harvested names here (type<TAB>name per line), to read them.")
    var harvestOut: String?

    @Option(help: "The last fraction of the sentences, held out for development and not trained on.")
    var holdout: Double = 0.1

    @Option(
        help: """
            A second corpus in WikiFANE Gold's layout (../shared/data/ner/wikifane/WikiFANE_Gold_2014_500K.txt), trained on \
            beside --data with feature augmentation: the model is the augmented one as it reads --data's corpus.
            """)
    var wikifane: String?

    @Option(help: "With --wikifane: its last fraction of sentences, held out (never trained on) and scored at the end.")
    var wikifaneHoldout: Double = 0.1

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
        guard (0..<1).contains(wikifaneHoldout) else { throw ValidationError("--wikifane-holdout must be at least 0 and below 1") }
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
        guard harvestRounds > 0 else { throw ValidationError("--harvest-rounds must be positive") }
        guard pruneBelow >= 0, l2 >= 0 else { throw ValidationError("--prune-below and --l2 must be 0 or more") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let sentences = try LabeledSentence.read(conll: try String(contentsOfFile: data, encoding: .utf8))
        var (train, development) = LabeledSentence.split(sentences, developmentFraction: holdout)
        // The corpus of each training sentence: 0 for --data's, 1 for WikiFANE's.
        var domains: [Int] = []
        var wikifaneDevelopment: [LabeledSentence] = []
        if let wikifane {
            let (extra, heldOut) = LabeledSentence.split(
                try WikiFANECorpus.sentences(try String(contentsOfFile: wikifane, encoding: .utf8)), developmentFraction: wikifaneHoldout)
            domains = Array(repeating: 0, count: train.count) + Array(repeating: 1, count: extra.count)
            train += extra
            wikifaneDevelopment = heldOut
            print("\(extra.count) WikiFANE sentences beside \(domains.count - extra.count) of \(data), \(heldOut.count) held out")
        }
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
                    throw ValidationError(
                        "\(file): expected type<TAB>name lines with a type of \(EntityTagSet.types.joined(separator: ", ")), found '\(line)'")
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
        var model = await trainer.train(train, domains: domains) { print($0) }
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
                print(
                    "round \(round): harvested from \(texts.count) files: "
                        + names.sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key)" }.joined(separator: ", ")
                        + ", \(aliases.count) abbreviations")
                if !development.isEmpty {
                    print("the model on the held-out sentences' tokens:\n" + EntityReport(model: model, sentences: development).rendered)
                }
                model = await EntityTrainer(
                    features: EntityFeatures(lexicon: lexicon, wordClasses: wordClasses, frequencyBands: bands), settings: settings
                ).train(train, domains: domains) { print($0) }
            }
            model.aliases = aliases
        }
        let bytes = model.serialized()
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        print("wrote \(out): \(bytes.count) bytes, \(model.featureCount) features, \(train.count) sentences in \(clock.now - start)")
        if !development.isEmpty {
            print(
                "the model on the held-out sentences' tokens (`siftd eval ner` scores the daemon's entities plugin):\n"
                    + EntityReport(model: model, sentences: development).rendered)
        }
        if !wikifaneDevelopment.isEmpty {
            print("the model on WikiFANE's held-out sentences' tokens:\n" + EntityReport(model: model, sentences: wikifaneDevelopment).rendered)
        }
    }
}

/// `siftd eval ner --data FILE`.
struct EvalEntityModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner",
        abstract: "Entity-level precision, recall and F1 (exact span and type) of the daemon's entities, micro and per type, and tokens per second.",
        discussion: """
            The gold is tokens, and the daemon tags documents: each run of --document-sentences sentences \
            becomes the text of one plain-text document (tokens joined by spaces, a blank line after each \
            sentence, so that each is a paragraph of its own), as `siftd process` makes of a .txt file holding \
            that text, and goes through the configured pipeline with the configured options (the plugins siftd \
            runs), up to the stage that provides `entities` (by default text, language, entities). So the \
            entities plugin tokenises, splits sentences, tags the whole document at once, drops names below its \
            min_confidence and resolves names as it does for any document. What is scored is its \
            `annotations.entities.mentions`: a mention counts when its offsets and type are exactly those of a \
            gold entity (its first token's start to its last token's end); one that does not start and end on \
            the data's token boundaries cannot count, and a document the language stage does not find to be in \
            a language with a tagger gets none. The time covers every stage.
            """
    )

    @Option(help: "A 'token TAG' (IOB2) file.")
    var data: String

    @Option(
        help:
            "How --data is laid out: conll ('token TAG', as ANERcorp) or wikifane (WikiFANE Gold: its classes mapped to PERS/LOC/ORG/MISC, its split clitics joined)."
    )
    var format: EntityDataFormat = .conll

    @Option(help: "Score only the last fraction of the file's sentences (0.1: the development part `siftd train ner` holds out).")
    var last: Double?

    @Flag(help: "Also list the mistakes: '-' an entity missed, '+' one found wrongly (a wrong type or span is both).")
    var mistakes = false

    @Flag(help: "Also tell how well the names' confidences match how often they are right, by confidence band.")
    var calibration = false

    @OptionGroup var documents: DocumentSentencesOption

    @Option(help: "An entity model file, as written by `siftd train ner`: the entities stage's `model` option (default: the configured one).")
    var model: String?

    @OptionGroup var daemon: EvaluationOptions

    func validate() throws {
        if let last { guard last > 0 && last <= 1 else { throw ValidationError("--last must be above 0 and at most 1 (0.1: the last tenth)") } }
    }

    func run() async throws {
        var sentences = try format.sentences(try String(contentsOfFile: data, encoding: .utf8))
        if let last { sentences = LabeledSentence.split(sentences, developmentFraction: last).development }
        let stages = try await DaemonPipeline.load(
            configurationFile: daemon.config, capability: "entities",
            providerOptions: model.map { ["model": .string(URL(fileURLWithPath: $0).path)] } ?? [:])
        var report = DaemonEntityReport()
        var output = StandardOutputBuffer()
        let clock = ContinuousClock()
        for (number, range) in EntityTrainer.documents(count: sentences.count, size: documents.documentSentences).enumerated() {
            let document = GoldDocument(Array(sentences[range]))
            let start = clock.now
            var mentions: [GoldDocument.Mention] = []
            do {
                let result = try await stages.run(text: document.text, name: "document-\(number + 1).txt")
                if let entities = result.annotations["entities"] {
                    mentions = GoldDocument.mentions(entities)
                    if entities["supported"]?.boolValue == false {
                        report.untagged.add("document \(number + 1): language '\(entities["language"]?.stringValue ?? "und")' has no tagger")
                    }
                } else {
                    report.untagged.add("document \(number + 1): \(stages.capability) was not provided")
                }
                if daemon.results {
                    output.write(try result.resultLine(name: "document \(number + 1), sentences \(range.lowerBound + 1)–\(range.upperBound)") + "\n")
                }
            } catch {
                report.untagged.add("document \(number + 1): \(error)")
            }
            report.seconds += (clock.now - start).inSeconds
            report.add(document, mentions: mentions)
        }
        await stages.shutdown()
        if mistakes { output.write(report.mistakes.map { $0 + "\n" }.joined()) }
        output.write(report.rendered + "\n")
        output.write(
            "measured: stage '\(stages.provider.name)', options \(DaemonPipeline.describe(stages.provider)); \(documents.documentSentences) sentences a document\n"
        )
        if calibration { output.write(report.calibration + "\n") }
        output.flush()
    }
}

/// Gold sentences written out as one document's text, with each token's offsets in it.
struct GoldDocument {
    /// A name the entities plugin reported, in Unicode scalars into the text.
    struct Mention {
        var type: String
        var start: Int
        var end: Int
        var confidence: Double
    }

    let sentences: [LabeledSentence]
    /// Tokens joined by a space, each sentence followed by a blank line (a paragraph of its own).
    let text: String
    /// Each sentence's tokens' start and end, in Unicode scalars into ``text``.
    let spans: [[(start: Int, end: Int)]]

    init(_ sentences: [LabeledSentence]) {
        self.sentences = sentences
        var text = ""
        var offset = 0
        var spans: [[(start: Int, end: Int)]] = []
        for sentence in sentences {
            var sentenceSpans: [(start: Int, end: Int)] = []
            for (index, token) in sentence.tokens.enumerated() {
                if index > 0 {
                    text += " "
                    offset += 1
                }
                let length = token.unicodeScalars.count
                sentenceSpans.append((offset, offset + length))
                text += token
                offset += length
            }
            text += "\n\n"
            offset += 2
            spans.append(sentenceSpans)
        }
        self.text = text
        self.spans = spans
    }

    /// The gold entities of sentence `index`: type, token range and offsets.
    func gold(_ index: Int) -> [(type: String, range: Range<Int>, start: Int, end: Int)] {
        EntityEvaluation.entities(sentences[index].tags).map { entity in
            (entity.type, entity.range, spans[index][entity.range.lowerBound].start, spans[index][entity.range.upperBound - 1].end)
        }
    }

    /// The sentence whose text holds offset `position`.
    func sentence(at position: Int) -> Int {
        spans.lastIndex { ($0.first?.start ?? .max) <= position } ?? 0
    }

    /// The mentions of an `entities` annotation.
    static func mentions(_ entities: JSONValue) -> [Mention] {
        (entities["mentions"]?.arrayValue ?? []).compactMap { mention in
            guard let type = mention["type"]?.stringValue, let start = mention["start"]?.intValue, let end = mention["end"]?.intValue else {
                return nil
            }
            return Mention(type: type, start: start, end: end, confidence: mention["confidence"]?.doubleValue ?? 0)
        }
    }
}

/// Scores the entities plugin's mentions against gold documents and renders the figures.
struct DaemonEntityReport {
    var overall = EntityEvaluation.Counts()
    var perType: [String: EntityEvaluation.Counts] = [:]
    var tokens = 0
    var seconds = 0.0
    /// Mentions that do not start and end where the data's tokens do.
    var offBoundaries = 0
    /// Documents the plugin tagged nothing in (a language without a tagger, a failed stage).
    var untagged = MissingAnnotations()
    var documents = 0
    /// The entities missed, found wrongly, or given the wrong type, one per line, sentence by sentence.
    var mistakes: [String] = []
    /// (confidence, right) of every mention.
    var confidences: [(confidence: Double, right: Bool)] = []

    mutating func add(_ document: GoldDocument, mentions: [GoldDocument.Mention]) {
        documents += 1
        let starts = Set(document.spans.flatMap { $0.map(\.start) })
        let ends = Set(document.spans.flatMap { $0.map(\.end) })
        var bySentence = [[GoldDocument.Mention]](repeating: [], count: document.sentences.count)
        for mention in mentions {
            bySentence[document.sentence(at: mention.start)].append(mention)
            if !starts.contains(mention.start) || !ends.contains(mention.end) { offBoundaries += 1 }
        }
        for index in document.sentences.indices {
            let gold = document.gold(index)
            tokens += document.sentences[index].tokens.count
            let goldKeys = Set(gold.map { "\($0.type):\($0.start):\($0.end)" })
            let foundKeys = Set(bySentence[index].map { "\($0.type):\($0.start):\($0.end)" })
            for entity in gold {
                overall.gold += 1
                perType[entity.type, default: .init()].gold += 1
            }
            for mention in bySentence[index] {
                let right = goldKeys.contains("\(mention.type):\(mention.start):\(mention.end)")
                overall.predicted += 1
                perType[mention.type, default: .init()].predicted += 1
                if right {
                    overall.truePositives += 1
                    perType[mention.type, default: .init()].truePositives += 1
                }
                confidences.append((mention.confidence, right))
            }
            mistakes += Self.mistakes(document, sentence: index, gold: gold, found: bySentence[index], goldKeys: goldKeys, foundKeys: foundKeys)
        }
    }

    /// `-` a missed entity, `+` a wrong one, in the sentence's words (the entity in brackets).
    static func mistakes(
        _ document: GoldDocument, sentence index: Int, gold: [(type: String, range: Range<Int>, start: Int, end: Int)],
        found: [GoldDocument.Mention], goldKeys: Set<String>, foundKeys: Set<String>
    ) -> [String] {
        let tokens = document.sentences[index].tokens
        let spans = document.spans[index]
        let scalars = Array(document.text.unicodeScalars)
        func render(_ sign: String, _ type: String, _ start: Int, _ end: Int) -> String {
            let before = zip(tokens, spans).filter { $0.1.end <= start }.suffix(4).map(\.0).joined(separator: " ")
            let after = zip(tokens, spans).filter { $0.1.start >= end }.prefix(4).map(\.0).joined(separator: " ")
            var name = String.UnicodeScalarView()
            name.append(contentsOf: scalars[start..<end])
            return "\(sign) \(type)\t\(before) [\(String(name))] \(after)"
        }
        let missed = gold.filter { !foundKeys.contains("\($0.type):\($0.start):\($0.end)") }.map { render("-", $0.type, $0.start, $0.end) }
        let wrong = found.filter { !goldKeys.contains("\($0.type):\($0.start):\($0.end)") }.map { render("+", $0.type, $0.start, $0.end) }
        return missed + wrong
    }

    var rendered: String {
        func line(_ name: String, _ counts: EntityEvaluation.Counts) -> String {
            String(
                format: "%@ precision %6.2f%%  recall %6.2f%%  F1 %6.2f%%  (%d gold, %d predicted, %d correct)",
                name.padding(toLength: 6, withPad: " ", startingAt: 0),
                counts.precision * 100, counts.recall * 100, counts.f1 * 100, counts.gold, counts.predicted, counts.truePositives)
        }
        var lines = [line("all", overall)]
        for type in EntityTagSet.types { lines.append(line(type, perType[type] ?? .init())) }
        lines.append(
            String(format: "%d tokens in %.3f s: %.0f tokens per second (every stage)", tokens, seconds, Double(tokens) / max(seconds, 1e-9)))
        if offBoundaries > 0 { lines.append("\(offBoundaries) names found do not start and end on the data's token boundaries") }
        if let line = untagged.line(of: documents, capability: "entities", scoredAs: "none found") { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// The names found, by confidence band: how many, their mean confidence, and the share
    /// exactly right (span and type).
    var calibration: String {
        let bands: [Double] = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.000_001]
        var counts = [(found: Int, right: Int, confidence: Double)](repeating: (0, 0, 0), count: bands.count - 1)
        for (confidence, right) in confidences {
            let band = bands.indices.dropLast().last { bands[$0] <= confidence } ?? 0
            counts[band].found += 1
            counts[band].confidence += confidence
            if right { counts[band].right += 1 }
        }
        var lines = ["confidence   names   mean confidence   right"]
        for (band, count) in counts.enumerated() where count.found > 0 {
            lines.append(
                String(
                    format: "%.2f–%.2f %7d %17.3f %7.3f", bands[band], min(bands[band + 1], 1), count.found,
                    count.confidence / Double(count.found), Double(count.right) / Double(count.found)))
        }
        return lines.joined(separator: "\n")
    }
}

/// `siftd tag`: one token per line on standard input, a blank line between sentences; `token<TAB>TAG` out.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Tag tokens read one per line (blank line between sentences, -DOCSTART- between documents): token<TAB>TAG (IOB2)."
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

/// A freshly trained model's figures on the held-out sentences, for `siftd train ner`: the model
/// tags the data's own tokens, runs of sentences as documents, as in training. These are the
/// model's, not the daemon's: `siftd eval ner` scores the entities plugin on documents (its own
/// tokenisation, sentence splitting, language gate and options) once the model is in place.
struct EntityReport {
    var evaluation = EntityEvaluation()
    var tokens = 0
    var seconds = 0.0

    init(model: EntityModel, sentences: [LabeledSentence], documentSentences: Int = EntityTrainer.Settings().documentSentences) {
        let clock = ContinuousClock()
        let start = clock.now
        // Without document boundaries in the data, documents are runs of consecutive sentences, as in training.
        let documents = EntityTrainer.documents(count: sentences.count, size: documentSentences)
        let predictions = documents.flatMap { model.tag(document: $0.map { sentences[$0].tokens }) }
        seconds = (clock.now - start).inSeconds
        for (sentence, predicted) in zip(sentences, predictions) {
            evaluation.add(gold: sentence.tags, predicted: predicted)
            tokens += sentence.tokens.count
        }
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

    func validate() throws {
        guard (0..<1).contains(holdout) else { throw ValidationError("--holdout must be at least 0 and below 1") }
        guard (1...1024).contains(fineClasses), (1...64).contains(coarseClasses) else {
            throw ValidationError("--fine-classes must be 1 to 1024 and --coarse-classes 1 to 64")
        }
    }

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
