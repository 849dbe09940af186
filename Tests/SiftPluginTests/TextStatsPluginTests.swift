import Logging
import SiftPluginAPI
import Testing

@testable import SiftBuiltinPlugins

/// The `text` plugin as the daemon creates it: the counts and the title are the text toolkit's
/// (tested in TextToolkitTests); here, what the plugin makes of them.
@Suite("The text plugin")
struct TextStatsPluginTests {
    static func process(_ document: Document, _ options: [String: JSONValue] = [:]) async throws -> [String: JSONValue] {
        let registration = TextStatsPlugin.registration
        let context = PluginContext(stageName: "text", options: try registration.descriptor.resolveOptions(options), logger: Logger(label: "test"))
        return try await registration.makeInstance(context).processor.process(document)
    }

    @Test("reports the counts, and the scripts present with rounded proportions, the most letters first")
    func scripts() async throws {
        let document = Document(id: "1", name: "mix.txt", text: "النص العربي hello Привет", format: "text")
        let annotations = try await Self.process(document)
        let scripts = try #require(annotations["scripts"]?.arrayValue)
        #expect(scripts.map { $0["script"]?.stringValue } == ["Arabic", "Cyrillic", "Latin"])
        #expect(scripts.map { $0["letters"]?.intValue } == [10, 6, 5])
        #expect(scripts.map { $0["proportion"]?.doubleValue } == [0.4762, 0.2857, 0.2381])
        #expect(annotations["counts"] == ["paragraphs": 1, "sentences": 1, "words": 4, "numbers": 0, "lines": 1, "characters": 24])
        #expect(annotations.keys.sorted() == ["counts", "scripts", "title"], "one member per declared capability")
    }

    @Test(
        "takes the title from the input, else a headline-like first line of at most max_title_length characters",
        arguments: [
            (String?.some("Given"), "Headline\n\nBody.", [:], JSONValue.string("Given")),
            (nil, "عنوان الخبر\n\nنص الخبر.", [:], "عنوان الخبر"),
            (nil, "This first line is a sentence.\nBody.", [:], .null),
            (nil, "Port strike halts Rotterdam\n\nBody.", ["max_title_length": 26], .null),
            (nil, "Port strike halts Rotterdam\n\nBody.", ["max_title_length": 27], "Port strike halts Rotterdam"),
        ] as [(String?, String, [String: JSONValue], JSONValue)]
    )
    func title(given: String?, text: String, options: [String: JSONValue], expected: JSONValue) async throws {
        let document = Document(id: "1", name: "t.txt", title: given, text: text, format: "text")
        #expect(try await Self.process(document, options)["title"] == expected)
    }

    @Test("option validation names the key and the allowed range")
    func options() throws {
        let descriptor = TextStatsPlugin.registration.descriptor
        #expect(try descriptor.resolveOptions([:]).int("max_title_length") == 200)
        #expect(try descriptor.resolveOptions(["max_title_length": 50]).int("max_title_length") == 50)
        #expect(throws: PluginError(.invalidOption, "option 'max_title_length' must be integer 10...1000, got 5")) {
            try descriptor.resolveOptions(["max_title_length": 5])
        }
        #expect(throws: PluginError(.invalidOption, "option 'max_title_length' must be integer 10...1000, got 'long'")) {
            try descriptor.resolveOptions(["max_title_length": "long"])
        }
    }

    @Test("the built-in list has unique names and the text plugin")
    func builtins() throws {
        let registry = try PluginRegistry(BuiltinPlugins.all)
        #expect(registry["text"]?.descriptor.provides == ["counts", "scripts", "title"])
    }
}

/// The scalars the built-in stages share for a document.
@Suite("Built-in plugins: a document's scalars")
struct DocumentScalarsTests {
    @Test("a document's scalars are its text's, whatever was kept before: another text under the same id, a text too long to keep")
    func scalarsAreTheTexts() {
        let first = Document(id: "same", name: "a.txt", text: "نص أول، طرابلس.", format: "text")
        let second = Document(id: "same", name: "b.txt", text: "نص ثانٍ، بروكسل.", format: "text")
        let long = Document(id: "long", name: "c.txt", text: String(repeating: "ليبيا ", count: 60_000), format: "text")
        for document in [first, second, first, long, long, second] {
            #expect(DocumentScalars.of(document).scalars == Array(document.text.unicodeScalars))
        }
        // More documents than are kept, then the first again.
        for number in 0..<(2 * DocumentScalars.capacity) {
            let document = Document(id: "\(number)", name: "\(number).txt", text: "وثيقة \(number)", format: "text")
            #expect(DocumentScalars.of(document).scalars == Array(document.text.unicodeScalars))
        }
        #expect(DocumentScalars.of(first).scalars == Array(first.text.unicodeScalars))
    }
}
