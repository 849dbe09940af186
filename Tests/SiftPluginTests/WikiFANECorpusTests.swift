import Testing

@testable import SiftEntityTagger

@Suite("WikiFANE Gold read as the tagger's data")
struct WikiFANECorpusTests {
    /// Lines as the corpus file has them: a byte-order mark, a left-to-right mark before most
    /// tokens, CRLF, a tab and an empty token between sentences.
    static func corpus(_ sentences: [[(String, String)]]) -> String {
        "\u{FEFF}" + sentences.map { sentence in sentence.map { "\u{200E}\($0.0)\t\($0.1)\r\n" }.joined() + "\t\r\n" }.joined()
    }

    static func read(_ sentence: [(String, String)]) throws -> [(String, String)] {
        let sentences = try WikiFANECorpus.sentences(corpus([sentence]))
        try #require(sentences.count == 1)
        return zip(sentences[0].tokens, sentences[0].tags.map { EntityTagSet.tags[$0] }).map { ($0, $1) }
    }

    @Test("sentences are cut at the empty token, marks and CRLF are dropped, the fine classes become the tagger's types")
    func linesAndClasses() throws {
        let text = Self.corpus([
            [("جورجيا", "B-Nation"), ("دولة", "O"), ("في", "O"), ("القوقاز", "B-Land-Region-Natural")],
            [("اسسها", "O"), ("المغول", "B-Group"), ("بقيادة", "O"), ("جنكيز", "B-Politician"), ("خان", "I-Politician")],
            [("وزارة", "B-Government"), ("الداخلية", "I-Government"), ("و", "O"), ("بوينغ", "B-Commercial"), ("747", "B-Air")],
        ])
        let sentences = try WikiFANECorpus.sentences(text)
        #expect(sentences.count == 3)
        #expect(sentences[0].tokens == ["جورجيا", "دولة", "في", "القوقاز"])
        #expect(sentences[0].tags.map { EntityTagSet.tags[$0] } == ["B-LOC", "O", "O", "B-LOC"])
        // A people (Group) is outside any name, as ANERcorp leaves it.
        #expect(sentences[1].tags.map { EntityTagSet.tags[$0] } == ["O", "O", "O", "B-PERS", "I-PERS"])
        #expect(sentences[2].tokens == ["وزارة", "الداخلية", "وبوينغ", "747"])
        #expect(sentences[2].tags.map { EntityTagSet.tags[$0] } == ["B-ORG", "I-ORG", "B-ORG", "B-MISC"])
    }

    @Test(
        "split clitics are joined back as news writes them",
        arguments: [
            ([("و", "O"), ("تعتبر", "O")], [("وتعتبر", "O")]),
            ([("عاصمة", "O"), ("ها", "O")], [("عاصمتها", "O")]),
            ([("علي", "O"), ("ها", "O"), ("ل", "O"), ("ان", "O"), ("ها", "O")], [("عليها", "O"), ("لانها", "O")]),
            ([("على", "O"), ("ه", "O")], [("عليه", "O")]),
            ([("قتلوا", "O"), ("ه", "O")], [("قتلوه", "O")]),
            ([("ل", "O"), ("المناورة", "O")], [("للمناورة", "O")]),
            ([("و", "O"), ("ل", "O"), ("الدولة", "O")], [("وللدولة", "O")]),
            ([("و", "O"), ("ب", "O"), ("غانا", "B-Nation")], [("وبغانا", "B-LOC")]),
            ([("ك", "O"), ("ما", "O")], [("كما", "O")]),
            ([("الجرافي", "B-Software"), ("ك", "I-Software"), ("،", "O")], [("الجرافيك", "B-MISC"), ("،", "O")]),
            ([("ف", "B-Water"), ("ريدوم", "I-Water")], [("فريدوم", "B-MISC")]),
            // A suffix after a number (the Hijri year's ه) or a proclitic before one stays apart.
            ([("1314", "O"), ("ه", "O")], [("1314", "O"), ("ه", "O")]),
            ([("و", "O"), ("1990", "O")], [("و", "O"), ("1990", "O")]),
            ([("في", "O"), ("و", "O")], [("في", "O"), ("و", "O")]),
        ] as [([(String, String)], [(String, String)])]
    )
    func clitics(input: [(String, String)], expected: [(String, String)]) throws {
        let read = try Self.read(input)
        #expect(read.map(\.0) == expected.map(\.0))
        #expect(read.map(\.1) == expected.map(\.1))
    }

    @Test("an entry without a tag or with a tag of another form is an error naming its line", arguments: ["تونس\tX-Nation", "تونس", "تونس\tB-"])
    func malformed(line: String) {
        #expect(throws: EntityModelError.self) { try WikiFANECorpus.sentences("\u{FEFF}بلد\tO\r\n\(line)\r\n") }
    }

    @Test("the classes map to the tagger's types only; a people, or a class the map lacks, is outside")
    func classMap() {
        #expect(Set(WikiFANECorpus.types.values) == Set(EntityTagSet.types))
        #expect(WikiFANECorpus.types["Group"] == nil)
        #expect(WikiFANECorpus.tag(of: "B-Unlisted") == EntityTagSet.outside)
    }
}
