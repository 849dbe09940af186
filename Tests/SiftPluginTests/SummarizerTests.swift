import Foundation
import Logging
import SiftBuiltinPlugins
import SiftPluginAPI
import SiftSummarizer
import SiftTextToolkit
import Testing

@Suite("Summarizer")
struct SummarizerTests {
    static func chosen(_ text: String, _ length: SummaryLength, language: String = "en") -> [Int] {
        ExtractiveSummarizer().summarize(SummaryDocument(text: ScalarText(text), language: language), length: length).map(\.index)
    }

    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/summaries/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("summarizing is linear in the sentences: 40,000 lines do not take minutes", .timeLimit(.minutes(1)))
    func linearInSentences() async {
        // Quadratic before (every pair of sentences compared): 40,000 lines took 10.7 s in a release build.
        let text = (0..<40_000).map { "Line \($0) says something about topic \($0 % 97) and place \($0 % 13)." }
            .joined(separator: "\n")
        // On a thread of its own: minutes of computation must not hold the other tests' threads.
        let summary = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Self.chosen(text, .ratio(0.5))) }.start()
        }
        #expect(!summary.isEmpty && summary.count <= ExtractiveSummarizer.Limits().summarySentences)
        #expect(summary == summary.sorted())
    }

    @Test("a cancelled summary stops early")
    func cancelled() async {
        let text = (0..<1_000).map { "Line \($0) says something about topic \($0 % 97)." }.joined(separator: "\n")
        let task = Task { Self.chosen(text, .sentences(3)) }
        task.cancel()
        #expect(await task.value.isEmpty)
        #expect(!Self.chosen(text, .sentences(3)).isEmpty)
    }

    static let rougeCases: [(String, String, Int, Double, Double)] = [
        // the×2 cat on mat shared of six words each; bigrams: the cat, on the, the mat of five.
        ("the cat sat on the mat", "the cat was on the mat", 1, 5.0 / 6, 5.0 / 6),
        ("the cat sat on the mat", "the cat was on the mat", 2, 3.0 / 5, 3.0 / 5),
        // Counts are clipped: "a" three times in the summary, once in the reference.
        ("a a a", "a b", 1, 1.0 / 3, 1.0 / 2),
        // Hamza forms, diacritics and taa marbuta are folded on both sides.
        ("أكَّد رئيس الحكومة", "اكد رئيس الحكومه", 1, 1.0, 1.0),
        ("", "a b", 1, 0.0, 0.0),
    ]

    @Test("ROUGE-N against hand-computed counts", arguments: rougeCases)
    func rouge(summary: String, reference: String, order: Int, precision: Double, recall: Double) {
        let scanner = WordScanner()
        let score = RougeScorer(order: order).score(summary: scanner.keys(of: summary), reference: scanner.keys(of: reference))
        #expect(abs(score.precision - precision) < 1e-9)
        #expect(abs(score.recall - recall) < 1e-9)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        #expect(abs(score.f1 - f1) < 1e-9)
    }

    @Test("the evaluation averages ROUGE over references, then articles; summaries are cut at the budget")
    func evaluation() {
        var evaluation = SummaryEvaluation()
        evaluation.add(summary: "a b", references: ["a b", "c d"])  // ROUGE-1 F1 1 and 0
        evaluation.add(summary: "a b", references: ["a b"])
        #expect(abs(evaluation.rouge1 - 0.75) < 1e-9)
        #expect(abs(evaluation.rouge2 - 0.75) < 1e-9)
        #expect(SummaryEvaluation.truncated("One two, three. Four", toWords: 3) == "One two, three")
        #expect(SummaryEvaluation.truncated("قال الرئيس إن", toWords: 5) == "قال الرئيس إن")
    }

    static let flood = """
        The river flooded the old town on Monday night. The river flooded the old town on Monday night. \
        Rescue teams evacuated three hundred residents from the old town. Officials said the water level would fall by Wednesday.
        """

    @Test("a sentence said twice is taken once; sentences come back in document order")
    func redundancy() {
        #expect(Self.chosen(Self.flood, .sentences(2)) == [0, 2])
        #expect(Self.chosen(Self.flood, .sentences(3)) == [0, 2, 3])
    }

    @Test("length edges: a first sentence over the budget, a budget met exactly, fewer sentences than asked, one, none")
    func lengths() {
        let text = "Rescue teams evacuated three hundred residents on Monday. The water fell. Officials praised the volunteers."
        // Eight words in the first sentence.
        #expect(Self.chosen(text, .words(3)) == [0])
        #expect(Self.chosen(text, .words(8)) == [0])
        #expect(Self.chosen(text, .words(9)).count == 2)
        #expect(Self.chosen(text, .sentences(10)) == [0, 1, 2])
        #expect(Self.chosen("Only one sentence here.", .sentences(3)) == [0])
        #expect(Self.chosen("", .sentences(3)) == [])
        #expect(Self.chosen("... !!!", .words(10)) == [])
        #expect(Self.chosen(text, .ratio(0.5)) == [0])
    }

    @Test("the lead and what the article is about win over asides", arguments: ["en-port-strike.txt", "en-library.txt", "fr-velo.txt"])
    func newsLead(name: String) throws {
        let text = try Self.fixture(name)
        let language = name.hasPrefix("fr") ? "fr" : "en"
        let picked = Self.chosen(text, .sentences(2), language: language)
        #expect(picked.first == 0)
        #expect(picked.count == 2)
    }

    @Test(
        "light stems and function words",
        arguments: [
            ("ar", "والمعلمون", "معلم"), ("ar", "بالحكومه", "حكوم"), ("ar", "ولد", "ولد"), ("ar", "مدرستها", "مدرس"),
            ("en", "talks", "talk"), ("en", "cities", "cit"), ("en", "was", "was"), ("fr", "chevaux", "chev"), ("de", "Häuser", "Häuser"),
        ])
    func stems(language: String, word: String, stem: String) {
        #expect(LightStemmer(language: language).stem(word) == stem)
    }

    @Test("function words are known by their normalised form")
    func stopWords() {
        let scanner = WordScanner()
        #expect(StopWords.contains(scanner.keys(of: "إلى")[0], language: "ar"))
        #expect(StopWords.contains(scanner.keys(of: "الى")[0], language: "ar"))
        #expect(StopWords.contains(scanner.keys(of: "The")[0], language: "en"))
        #expect(!StopWords.contains(scanner.keys(of: "strike")[0], language: "en"))
        #expect(!StopWords.contains(scanner.keys(of: "the")[0], language: "de"))
    }

    @Test("key phrases: repeated phrases of content words, shown without proclitics, no repeats")
    func keyPhrases() throws {
        let english = SummaryDocument(text: ScalarText(try Self.fixture("en-port-strike.txt")), language: "en")
        let phrases = KeyPhraseExtractor().phrases(of: english).map(\.text)
        #expect(phrases.contains("terminal operators"))
        #expect(phrases.contains { $0.lowercased().hasPrefix("port") })
        #expect(!phrases.contains("the"))
        #expect(phrases.count == 7)

        let arabic = SummaryDocument(
            text: ScalarText("اتصل الأمين العام بالسراج. وأكد الأمين العام دعم الحلف للسراج. وقال السراج إن الحلف شريك."), language: "ar")
        let arabicPhrases = KeyPhraseExtractor().phrases(of: arabic).map(\.text)
        #expect(arabicPhrases.contains("السراج"))
        #expect(arabicPhrases.contains("الأمين العام"))
        #expect(!arabicPhrases.contains("للسراج") && !arabicPhrases.contains("بالسراج"))
    }
}

/// One document's summary: its content regions, its title, its entities, its key phrases.
@Suite("Document summarizer")
struct DocumentSummarizerTests {
    static let title = "Port strike halts Rotterdam"

    /// The sentences' texts and the key phrases of `text` summarised over its blank-line separated paragraphs.
    static func summarize(
        _ text: String, title: String?, keyPhrases: Int = 10, entities: [DocumentSummarizer.Entity] = []
    ) throws -> (sentences: [String], result: DocumentSummarizer.Result) {
        let scalars = ScalarText(text)
        let regions = DocumentContent(text, trimsBoilerplate: true).paragraphs.map(\.span)
        let result = try DocumentSummarizer(length: .sentences(3), keyPhrases: keyPhrases)
            .summarize(scalars, language: "en", regions: regions, title: title, entities: entities)
        return (result.sentences.map { scalars[$0.span] }, result)
    }

    @Test("a paragraph that is the title line is not summarised; the summary text joins the sentences")
    func titleParagraph() throws {
        let text = "# \(Self.title)\n\nDock workers at the port of Rotterdam began a strike on Monday.\n\nShips waited at anchor.\n"
        let summary = try Self.summarize(text, title: Self.title)
        #expect(summary.sentences == ["Dock workers at the port of Rotterdam began a strike on Monday.", "Ships waited at anchor."])
        #expect(summary.result.text == summary.sentences.joined(separator: " "))
        #expect(try Self.summarize(text, title: nil).sentences.first == "# \(Self.title)")
    }

    @Test("a title that runs into the first paragraph is cut from it")
    func titleRunningIntoText() throws {
        let text = "\(Self.title)\nDock workers at the port of Rotterdam began a strike on Monday.\n\nShips waited at anchor.\n"
        let summary = try Self.summarize(text, title: Self.title)
        #expect(summary.sentences == ["Dock workers at the port of Rotterdam began a strike on Monday.", "Ships waited at anchor."])
        #expect(summary.result.sentences.first?.span.start == Self.title.unicodeScalars.count + 1)
    }

    @Test("as many key phrases as asked, none for 0")
    func keyPhrases() throws {
        let text = try SummarizerTests.fixture("en-port-strike.txt")
        #expect(try Self.summarize(text, title: nil, keyPhrases: 3).result.keyPhrases.count == 3)
        #expect(try Self.summarize(text, title: nil, keyPhrases: 0).result.keyPhrases.isEmpty)
    }

    @Test("a salient entity raises the key phrases that name it")
    func entities() throws {
        let text = try SummarizerTests.fixture("en-port-strike.txt")
        let plain = try Self.summarize(text, title: nil).result.keyPhrases.map(\.text)
        #expect(plain == ["port", "terminal operators", "strike", "Monday", "union", "pay", "year"])
        let weighted = try Self.summarize(text, title: nil, entities: [DocumentSummarizer.Entity(name: "year", salience: 1)]).result
        #expect(weighted.keyPhrases.map(\.text) == ["port", "terminal operators", "year", "strike", "Monday", "union", "pay"])
    }

    @Test("a cancelled summary throws")
    func cancelled() async {
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try Self.summarize("Dock workers began a strike on Monday. Ships waited at anchor.", title: nil)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

/// The `summary` plugin after the `language` plugin, as the daemon runs them.
@Suite("Summary plugin")
struct SummaryPluginTests {
    static func run(_ text: String, title: String? = nil, options: [String: JSONValue] = [:]) async throws -> JSONValue {
        var document = Document(id: "1", name: "t.txt", title: title, text: text, format: "text")
        for (registration, stage) in [(LanguagePlugin.registration, "language"), (SummaryPlugin.registration, "summary")] {
            let context = PluginContext(
                stageName: stage, options: try registration.descriptor.resolveOptions(stage == "summary" ? options : [:]),
                logger: Logger(label: "test"))
            let processor = try await registration.makeInstance(context).processor
            for (capability, value) in try await processor.process(document) {
                document.annotations[capability] = value
                document.providers[capability] = stage
            }
        }
        return try #require(document.annotations["summary"])
    }

    @Test("an English article: the lead, no boilerplate, offsets into the text, key phrases")
    func english() async throws {
        let text = try SummarizerTests.fixture("en-port-strike.txt")
        let summary = try await Self.run(text)
        let sentences = try #require(summary["sentences"]?.arrayValue)
        #expect(sentences.count == 3)
        #expect(summary["language"]?.stringValue == "en")
        let scalars = Array(text.unicodeScalars)
        var pieces: [String] = []
        for sentence in sentences {
            let start = try #require(sentence["start"]?.intValue)
            let end = try #require(sentence["end"]?.intValue)
            pieces.append(String(String.UnicodeScalarView(scalars[start..<end])))
        }
        #expect(pieces.joined(separator: " ") == summary["text"]?.stringValue)
        #expect(pieces.first?.hasPrefix("Dock workers") == true)
        let summaryText = try #require(summary["text"]?.stringValue)
        #expect(!summaryText.contains("Share this article"))
        #expect(summary["key_phrases"]?.arrayValue?.count == 7)
    }

    @Test("lengths by words and ratio; both at once is a configuration error")
    func options() async throws {
        let text = try SummarizerTests.fixture("en-library.txt")
        let byWords = try await Self.run(text, options: ["words": 30])
        #expect(byWords["sentences"]?.arrayValue?.count == 2)
        #expect(byWords["length"]?["words"]?.intValue == 30)
        let byRatio = try await Self.run(text, options: ["ratio": 0.1])
        #expect(byRatio["sentences"]?.arrayValue?.count == 1)
        await #expect(throws: PluginError.self) { try await Self.run(text, options: ["words": 30, "ratio": 0.5]) }
    }

    @Test("the title is compared with the sentences but is not one of them")
    func title() async throws {
        let text = "# Port strike halts Rotterdam\n\nDock workers at the port of Rotterdam began a strike on Monday.\n\nShips waited at anchor.\n"
        let summary = try await Self.run(text, title: "Port strike halts Rotterdam")
        let summaryText = try #require(summary["text"]?.stringValue)
        #expect(!summaryText.contains("halts"))
        #expect(summary["sentences"]?.arrayValue?.count == 2)
    }

    @Test("a title line that runs into the first paragraph (no full stop after it) is left out of that paragraph's sentence")
    func titleRunningIntoText() async throws {
        let title = "Port strike halts Rotterdam"
        let text = "\(title)\nDock workers at the port of Rotterdam began a strike on Monday.\nShips waited at anchor.\n"
        let summary = try await Self.run(text, title: title)
        let sentences = try #require(summary["sentences"]?.arrayValue)
        #expect(sentences.count == 2)
        let first = try #require(sentences.first)
        #expect(first["start"]?.intValue == title.unicodeScalars.count + 1, "the first sentence starts after the title line")
        #expect(summary["text"]?.stringValue == "Dock workers at the port of Rotterdam began a strike on Monday. Ships waited at anchor.")
    }
}
