import Foundation
import SiftTextToolkit
import Testing

@testable import SiftLanguageID

@Suite("Language identification")
struct LanguageIDTests {
    static let model: LanguageModel = {
        let directory = Bundle.module.url(forResource: "wordlists", withExtension: nil, subdirectory: "Fixtures")!
        var trainer = LanguageModelTrainer()
        for (code, words) in try! LanguageModelTrainer.readWordLists(directory: directory) {
            trainer.add(language: code, words: words)
        }
        return trainer.build()
    }()

    @Test("a model survives a round trip through its file format")
    func roundTrip() throws {
        let bytes = Self.model.serialized()
        let loaded = try LanguageModel(bytes: bytes)
        #expect(loaded.languages == ["ar", "en", "fa", "fr"])
        #expect(loaded.serialized() == bytes)
        let sample = "the people know the water"
        #expect(LanguageDetector(model: loaded).detect(sample) == LanguageDetector(model: Self.model).detect(sample))
        #expect(throws: LanguageModelError.self) { try LanguageModel(bytes: Array("not a model".utf8)) }
        #expect(throws: LanguageModelError.self) { try LanguageModel(bytes: Array(bytes.prefix(bytes.count / 2))) }
    }

    @Test(
        "detects the fixture languages, Arabic and Persian apart",
        arguments: [
            ("which of them would come first", "en"), ("nous avons vu le petit homme avec sa femme", "fr"),
            ("أكد الرئيس في الاتصال مع الأمين العام أن الحكومة", "ar"), ("رئیس جمهوری اسلامی ایران گفت که این کار", "fa"),
        ]
    )
    func detects(text: String, code: String) {
        let guess = LanguageDetector(model: Self.model).detect(text)
        #expect(guess.code == code)
        #expect(guess.confidence > 0.5)
        #expect(guess.candidates.first?.code == code)
        #expect(guess.candidates.count == 3)
    }

    @Test("no confident answer on noise, numbers or URLs", arguments: ["", "12345 67.8", "https://example.com/a/b", "!!! ??? ...", "xqzv wkpf"])
    func undetermined(text: String) {
        #expect(LanguageDetector(model: Self.model).detect(text).code == "und")
    }

    @Test("Serbian Cyrillic spelling of a Latin word")
    func serbianCyrillic() {
        #expect(SerbianCyrillic.transliterate("Beograd") == "београд")
        #expect(SerbianCyrillic.transliterate("ljubav") == "љубав")
        #expect(SerbianCyrillic.transliterate("džep") == "џеп")
    }
}

/// A document's language and its paragraphs', with the bundled model.
@Suite("Document languages")
struct DocumentLanguageDetectorTests {
    static let detector = DocumentLanguageDetector(model: try! BundledLanguageModel.load(), minimumConfidence: 0.5, maximumWords: 1000)

    static let arabic1 = "بحث رئيس المجلس الرئاسي فائز السراج مع الأمين العام لحلف الناتو ينس ستولتنبرغ في اتصال هاتفي آخر التطورات."
    static let english =
        "\"We support a political solution, and there can be no military solution to the crisis in Libya,\" the Secretary General said."
    static let arabic2 = "وأكد الطرفان ضرورة الالتزام بمخرجات مؤتمر برلين ووقف إطلاق النار والعودة إلى المسار السياسي."

    @Test("an Arabic article quoting an English paragraph is mixed, and each paragraph has its language and span")
    func mixed() throws {
        let text = [Self.arabic1, Self.english, Self.arabic2].joined(separator: "\n")
        let result = try Self.detector.detect(DocumentContent(text, trimsBoilerplate: true))
        #expect(result.code == "ar")
        #expect(result.mixed)
        #expect(result.paragraphs.map(\.code) == ["ar", "en", "ar"])
        #expect(result.paragraphs.allSatisfy { $0.confidence >= DocumentLanguageDetector.paragraphConfidence })
        #expect(ScalarText(text)[result.paragraphs[1].span] == Self.english)
    }

    @Test("a document in one language is not mixed; its paragraphs still have their language")
    func single() throws {
        let text = [Self.arabic1, Self.arabic2].joined(separator: "\n\n")
        let result = try Self.detector.detect(DocumentContent(text, trimsBoilerplate: true))
        #expect(result.code == "ar")
        #expect(result.confidence >= 0.99)
        #expect(!result.mixed)
        #expect(result.paragraphs.map(\.code) == ["ar", "ar"])
        #expect(result.candidates.count == 3)
    }

    @Test("a paragraph of fewer than six words in another language does not make a document mixed")
    func shortParagraph() throws {
        let text = [Self.arabic1, "The Secretary General said so.", Self.arabic2].joined(separator: "\n")
        let result = try Self.detector.detect(DocumentContent(text, trimsBoilerplate: true))
        #expect(result.paragraphs.map(\.code) == ["ar", "en", "ar"])
        #expect(!result.mixed)
    }

    @Test("below the minimum confidence the document and its paragraphs are und, the document's confidence 0")
    func minimumConfidence() throws {
        let strict = DocumentLanguageDetector(model: try BundledLanguageModel.load(), minimumConfidence: 1.0, maximumWords: 1000)
        let result = try strict.detect(DocumentContent("ok", trimsBoilerplate: true))
        #expect(result.code == "und")
        #expect(result.confidence == 0)
        #expect(result.paragraphs.map(\.code) == ["und"])
        #expect(try Self.detector.detect(DocumentContent("12345 — 678", trimsBoilerplate: true)).code == "und")
    }

    @Test("a cancelled detection stops between paragraphs")
    func cancelled() async {
        let content = DocumentContent([Self.arabic1, Self.english, Self.arabic2].joined(separator: "\n"), trimsBoilerplate: true)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try Self.detector.detect(content)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
