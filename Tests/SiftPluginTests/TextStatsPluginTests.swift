import SiftBuiltinPlugins
import SiftPluginAPI
import Testing

@Suite("The text plugin")
struct TextStatsPluginTests {
    @Test(
        "counts paragraphs, sentences, words and numbers",
        arguments: [
            ("One. Two! Three?", 1, 3, 3, 0),
            ("First para.\n\nSecond para has 2.5 million people. Really.", 2, 3, 8, 1),
            ("Line one\nLine two\nLine three", 3, 3, 6, 0),
            ("قال الرئيس: هل انتهت الأزمة؟ لا. ثم غادر.", 1, 3, 8, 0),
            ("وصل 1,500 جندي إلى طرابلس… وانتهى الأمر", 1, 2, 6, 1),
            ("Dr. Smith met Mr. J. Jones at example.com today. Fine.", 1, 2, 11, 0),
            ("«هل تأتي؟» قالت. نعم", 1, 3, 4, 0),
        ]
    )
    func counts(text: String, paragraphs: Int, sentences: Int, words: Int, numbers: Int) {
        let statistics = TextStatistics(text)
        #expect(statistics.paragraphs == paragraphs)
        #expect(statistics.sentences == sentences)
        #expect(statistics.words == words)
        #expect(statistics.numbers == numbers)
    }

    @Test("measures the scripts present with proportions")
    func scripts() async throws {
        let plugin = TextStatsPlugin()
        let document = Document(id: "1", name: "mix.txt", text: "النص العربي hello Привет", format: "text")
        let annotations = try await plugin.process(document)
        let scripts = try #require(annotations["scripts"]?.arrayValue)
        #expect(scripts.map { $0["script"]?.stringValue } == ["Arabic", "Cyrillic", "Latin"])
        #expect(scripts.map { $0["letters"]?.intValue } == [10, 6, 5])
        #expect(scripts[0]["proportion"]?.doubleValue == 0.4762)
        #expect(annotations.keys.sorted() == ["counts", "scripts", "title"], "one member per declared capability")
    }

    @Test("a diacritic does not count as a letter of its own")
    func diacritics() {
        let statistics = TextStatistics("كَتَبَ")
        #expect(statistics.letters[.arabic] == 3)
        #expect(statistics.words == 1)
    }

    @Test(
        "takes the title from the input, else a headline-like first line",
        arguments: [
            (String?.some("Given"), "Headline\n\nBody.", String?.some("Given")),
            (nil, "عنوان الخبر\n\nنص الخبر.", "عنوان الخبر"),
            (nil, "This first line is a sentence.\nBody.", nil),
            (nil, "Only one line", nil),
            (nil, "2020-06-13\nBody", nil),
            (nil, "عالمي\n\nعنوان الخبر\n\nنص الخبر.", "عنوان الخبر"),
            (nil, "World\nThis first line is a sentence.\nBody.", "World"),
        ]
    )
    func title(given: String?, text: String, expected: String?) async throws {
        let document = Document(id: "1", name: "t.txt", title: given, text: text, format: "text")
        let annotations = try await TextStatsPlugin().process(document)
        #expect(annotations["title"]?.stringValue == expected)
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
