import Foundation
import Logging
import SiftBuiltinPlugins
import SiftPluginAPI
import Testing

/// The `entities` plugin with the bundled model, as the daemon runs it.
@Suite("Entities plugin")
struct EntitiesPluginTests {
    static func run(_ text: String, language: String) async throws -> JSONValue {
        let registration = EntitiesPlugin.registration
        let context = PluginContext(stageName: "entities", options: try registration.descriptor.resolveOptions([:]), logger: Logger(label: "test"))
        let processor = try await registration.makeInstance(context).processor
        let document = Document(
            id: "1", name: "t.txt", text: text, format: "text",
            annotations: ["language": ["code": .string(language), "confidence": 1]],
            providers: ["language": "language"])
        return try #require(try await processor.process(document)["entities"])
    }

    /// Every mention's offsets cut its own text out of the document.
    static func checkOffsets(_ result: JSONValue, in text: String) throws {
        let scalars = Array(text.unicodeScalars)
        let mentions = try #require(result["mentions"]?.arrayValue)
        #expect(!mentions.isEmpty, "a text given to check offsets names something")
        for mention in mentions {
            let start = try #require(mention["start"]?.intValue)
            let end = try #require(mention["end"]?.intValue)
            #expect(String(String.UnicodeScalarView(scalars[start..<end])) == mention["text"]?.stringValue)
        }
    }

    @Test("Arabic: places and organisations found, canonical forms without proclitics, offsets into the text")
    func arabic() async throws {
        let text = "وصل وفد من حلف شمال الأطلسي إلى طرابلس أمس، وقال مسؤول إن الحلف يدعم الحكومة في ليبيا وطرابلس."
        let result = try await Self.run(text, language: "ar")
        #expect(result["supported"] == true)
        #expect(result["tagger"] == "arabic-crf")
        try Self.checkOffsets(result, in: text)
        let entities = try #require(result["distinct"]?.arrayValue)
        let places = entities.filter { $0["type"] == "LOC" }.compactMap { $0["canonical"]?.stringValue }
        #expect(places.contains("طرابلس") && places.contains("ليبيا"))
        #expect(entities.first { $0["canonical"] == "طرابلس" }?["mentions"] == 2, "وطرابلس is merged with طرابلس")
        let mentions = try #require(result["mentions"]?.arrayValue)
        #expect(mentions.filter { $0["text"] == "وطرابلس" }.map { $0["canonical"] } == ["طرابلس"], "the proclitic is left out of the canonical form")
        for mention in mentions {
            let confidence = try #require(mention["confidence"]?.doubleValue)
            #expect((0...1).contains(confidence))
            #expect(mention["entity"]?.intValue.map { $0 < entities.count } == true)
        }
    }

    @Test("English: people after titles, acronyms as organisations, places from the gazetteer")
    func english() async throws {
        let text =
            "President Emmanuel Macron met NATO Secretary General Jens Stoltenberg in Brussels on Monday. Stoltenberg said the Bank of England agreed."
        let result = try await Self.run(text, language: "en")
        #expect(result["tagger"] == "rules-en")
        try Self.checkOffsets(result, in: text)
        let entities = try #require(result["distinct"]?.arrayValue)
        func type(of name: String) -> String? { entities.first { $0["canonical"]?.stringValue == name }?["type"]?.stringValue }
        #expect(type(of: "Emmanuel Macron") == "PERS")
        #expect(type(of: "NATO") == "ORG")
        #expect(type(of: "Jens Stoltenberg") == "PERS")
        #expect(type(of: "Brussels") == "LOC")
        #expect(type(of: "Bank of England") == "ORG")
        #expect(entities.first { $0["canonical"] == "Jens Stoltenberg" }?["mentions"] == 2, "the surname alone is merged")
        #expect(type(of: "Monday") == nil, "a lone weekday is no name")
    }

    @Test("a language without a tagger is said so, with no mentions")
    func unsupported() async throws {
        let result = try await Self.run("Der Generalsekretär sprach mit dem Ministerpräsidenten.", language: "de")
        #expect(result["supported"] == false)
        #expect(result["mentions"]?.arrayValue?.isEmpty == true)
    }
}
