import Foundation
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
