import Foundation
import Logging
import SiftBuiltinPlugins
import SiftLanguageID
import SiftPluginAPI
import Testing

/// The `language` plugin with the bundled model, as the daemon runs it.
@Suite("Language plugin")
struct LanguagePluginTests {
    static let bundled: LanguageModel = try! BundledLanguageModel.load()

    static func makePlugin(_ options: [String: JSONValue] = [:]) async throws -> any DocumentProcessor {
        let registration = LanguagePlugin.registration
        let validated = try registration.descriptor.resolveOptions(options)
        let context = PluginContext(stageName: "language", options: validated, logger: Logger(label: "test"))
        return try await registration.makeInstance(context).processor
    }

    static func run(_ text: String, _ options: [String: JSONValue] = [:]) async throws -> [String: JSONValue] {
        try await makePlugin(options).process(Document(id: "1", name: "t.txt", text: text, format: "text"))
    }

    @Test(
        "the bundled model knows the languages of news text",
        arguments: [
            ("بحث رئيس المجلس الرئاسي مع الأمين العام لحلف الناتو سبل دعم الاستقرار في ليبيا", "ar"),
            ("رئیس جمهوری در دیدار با وزیر خارجه گفت که این همکاری‌ها ادامه خواهد یافت", "fa"),
            ("وزیر اعظم نے کہا کہ حکومت عوام کی فلاح کے لیے ہر ممکن اقدامات کرے گی", "ur"),
            ("The secretary general spoke with the prime minister about the situation", "en"),
            ("Le secrétaire général a parlé avec le chef du gouvernement de la situation", "fr"),
            ("Der Generalsekretär sprach mit dem Ministerpräsidenten über die Lage im Land", "de"),
            ("Генеральный секретарь обсудил с премьер-министром ситуацию в стране", "ru"),
            ("Generalni sekretar razgovarao je s premijerom o stanju u zemlji", "sh"),
            ("Генерални секретар разговарао је са премијером о стању у земљи", "sh"),
        ]
    )
    func detects(text: String, code: String) {
        let guess = LanguageDetector(model: Self.bundled).detect(text)
        #expect(guess.code == code)
        #expect(guess.confidence > 0.9)
    }

    @Test(
        "noise, numbers, URLs and addresses are und, not a confident guess",
        arguments: [
            "", "12345 678.90 2024-05-01", "https://www.example.com/news/2024/05/article.html", "www.example.org",
            "someone@example.com @someone", "!!! ??? ... ;;; ---", "🙂🙂🙂 👍", "xqzvw kpfjq zzxq", "ـــــ ًٌٍ",
        ]
    )
    func undetermined(text: String) {
        let guess = LanguageDetector(model: Self.bundled).detect(text)
        #expect(guess.code == "und", "\(text) → \(guess.code) \(guess.confidence)")
    }

    @Test("an Arabic article quoting an English paragraph reports both, paragraph by paragraph")
    func mixedParagraphs() async throws {
        let arabic1 = "بحث رئيس المجلس الرئاسي فائز السراج مع الأمين العام لحلف الناتو ينس ستولتنبرغ في اتصال هاتفي آخر التطورات."
        let english = "\"We support a political solution, and there can be no military solution to the crisis in Libya,\" the Secretary General said."
        let arabic2 = "وأكد الطرفان ضرورة الالتزام بمخرجات مؤتمر برلين ووقف إطلاق النار والعودة إلى المسار السياسي."
        let text = [arabic1, english, arabic2].joined(separator: "\n")
        let result = try await Self.run(text)
        let language = try #require(result["language"])
        #expect(language["code"] == "ar")
        #expect(language["mixed"] == true)
        let paragraphs = try #require(language["paragraphs"]?.arrayValue)
        #expect(paragraphs.map { $0["code"]?.stringValue } == ["ar", "en", "ar"])
        let second = paragraphs[1]
        let scalars = Array(text.unicodeScalars)
        let span = try #require(second["start"]?.intValue)..<(try #require(second["end"]?.intValue))
        #expect(String(String.UnicodeScalarView(scalars[span])) == english)
    }

    @Test("a document in one language is not mixed and lists no paragraph languages")
    func singleLanguage() async throws {
        let result = try await Self.run(
            """
            السراج وستولتنبرغ يبحثان هاتفياً تطورات الوضع في ليبيا

            بحث رئيس المجلس الرئاسي فائز السراج مع الأمين العام لحلف الناتو في اتصال هاتفي آخر المستجدات.
            وقال المكتب الإعلامي إن الحلف يدعم الحل السياسي للأزمة الليبية.
            """)
        let language = try #require(result["language"])
        #expect(language["code"] == "ar")
        #expect((language["confidence"]?.doubleValue ?? 0) >= 0.99)
        #expect(language["mixed"] == false)
        #expect(language["paragraphs"] == nil)
        #expect(language["candidates"]?.arrayValue?.count == 3)
    }

    @Test("boilerplate lines are set apart from the content, with their offsets; the original text is untouched")
    func boilerplate() async throws {
        let body = "وبحسب المجلس الرئاسي، أكد ستولتنبرغ أن الحلف يدعم الحل السياسي للأزمة الليبية."
        let text = "\(body)\n\nشارك هذا المقال\nTwitter Post\nاترك تعليقاً\n"
        let result = try await Self.run(text)
        let content = try #require(result["content"])
        let boilerplate = try #require(content["boilerplate"]?.arrayValue)
        #expect(boilerplate.map { $0["text"]?.stringValue } == ["شارك هذا المقال", "Twitter Post", "اترك تعليقاً"])
        let paragraphs = try #require(content["paragraphs"]?.arrayValue)
        #expect(paragraphs.count == 1)
        #expect(paragraphs.first?["end"]?.intValue == body.unicodeScalars.count)
        let untrimmed = try await Self.run(text, ["trim_boilerplate": false])
        #expect(untrimmed["content"]?["boilerplate"]?.arrayValue?.isEmpty == true)
    }

    @Test("below min_confidence the language is und; text with no words is und")
    func minimumConfidence() async throws {
        let strict = try await Self.run("ok", ["min_confidence": 1.0])
        #expect(strict["language"]?["code"] == "und")
        let empty = try await Self.run("12345 — 678")
        #expect(empty["language"]?["code"] == "und")
        #expect(empty["language"]?["confidence"]?.doubleValue == 0)
    }

    @Test("a model option naming a missing or damaged file fails the stage's creation with a clear message")
    func badModelOption() async throws {
        let missing = try await #require(throws: PluginError.self) { try await Self.makePlugin(["model": "/nonexistent/langid.model"]) }
        #expect(missing.code == .invalidOption)
        #expect(missing.message.contains("/nonexistent/langid.model"))
        let damaged = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString).model")
        try Data("SIFTLID3 but not really".utf8).write(to: damaged)
        defer { try? FileManager.default.removeItem(at: damaged) }
        let error = try await #require(throws: PluginError.self) { try await Self.makePlugin(["model": .string(damaged.path)]) }
        #expect(error.message.contains(damaged.path))
    }
}
