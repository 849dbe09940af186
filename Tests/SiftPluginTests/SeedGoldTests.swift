import Foundation
import SiftEntityTagger
import SiftTextToolkit
import Testing

/// The hand-annotated seed articles (`Fixtures/seed-gold`): the tagger's only check on modern
/// news, kept out of every training and tuning step. These tests hold the fixture to what the
/// tagger reads, so that a score on it means what it says.
@Suite("Seed gold annotation")
struct SeedGoldTests {
    static let names = [
        "000_717ed1235d1321f2", "001_1eb3bb6ad9028989", "002_67cb981cc1509168", "003_2d2d4f8ae176f14c", "004_2652ce4f1c7f173e",
    ]

    /// The sentences of one annotated article, each as (token, tag) pairs.
    static func sentences(_ name: String) throws -> [[(token: String, tag: String)]] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/seed-gold/\(name).iob", withExtension: nil))
        let text = try String(contentsOf: url, encoding: .utf8)
        var sentences: [[(token: String, tag: String)]] = []
        var current: [(token: String, tag: String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if !current.isEmpty { sentences.append(current) }
                current = []
                continue
            }
            let fields = line.split(separator: " ")
            try #require(fields.count == 2, "not 'token TAG': \(line)")
            current.append((String(fields[0]), String(fields[1])))
        }
        #expect(current.isEmpty, "the last sentence has no empty line after it")
        return sentences
    }

    @Test("every sentence is what the tokenizer and the sentence splitter make of it, in valid IOB2", arguments: names)
    func tokensAreTheTokenizers(name: String) throws {
        let sentences = try Self.sentences(name)
        #expect(sentences.count > 10)
        for sentence in sentences {
            let text = sentence.map(\.token).joined(separator: " ")
            #expect(Tokenizer().tokenize(text).map(\.text) == sentence.map(\.token), "\(text)")
            #expect(SentenceSplitter().split(text).count == 1, "\(text)")
            var previous = "O"
            for (_, tag) in sentence {
                #expect(EntityTagSet.tags.contains(tag), "\(tag)")
                if tag.hasPrefix("I-") { #expect(previous.dropFirst(2) == tag.dropFirst(2), "\(tag) after \(previous) in \(text)") }
                previous = tag
            }
        }
    }

    @Test("the tokens are the article's text, every character of it in order", arguments: names)
    func tokensCoverTheArticle(name: String) throws {
        let seed = try #require(Bundle.module.url(forResource: "Fixtures/seed-gold/\(name).iob", withExtension: nil))
        // The seeds sit at the package's root, three levels above this file's folder.
        let article = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds/\(name).txt")
        let text = try String(contentsOf: article, encoding: .utf8)
        // Directional marks and the byte-order mark, which the tokenizer skips as it skips spaces.
        let invisible: Set<UInt32> = [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF]
        let expected = String(String.UnicodeScalarView(text.unicodeScalars.filter { !Tokenizer.isSpace($0) && !invisible.contains($0.value) }))
        let tokens = try Self.sentences(name).flatMap { $0.map(\.token) }.joined()
        #expect(tokens == expected, "\(seed.lastPathComponent)")
    }
}
