import Foundation
import SystemPackage
import Testing

@testable import SiftDaemon

/// Inputs crafted to crash, exhaust or stall a parser: each ends in a result or a reasoned failure.
@Suite("Ingestion: hostile inputs")
struct PoisonInputTests {
    let ingestor = DocumentIngestor(maxBytes: 16 << 20)

    @Test(
        "markup left open at the end of a page neither crashes nor loses the text before it",
        arguments: [
            ("unterminated-bang.html", "text"), ("unterminated-pi.html", "text"), ("unterminated-dash.html", "text"),
            ("unterminated-attribute.html", "text"), ("unterminated-script.html", "text"),
            // A bare `</` at the end is not a tag, so it stays as literal text.
            ("unterminated-end-tag.html", "text\n\n</"),
        ]
    )
    func unterminatedMarkup(fixture: String, expected: String) throws {
        let document = try ingestor.ingest(bytes: try Fixtures.bytes("poison/\(fixture)"), name: fixture)
        // What is left open is dropped, as browsers drop it.
        #expect(document.text == expected)
    }

    @Test("a page that is only an unterminated comment fails as empty, without a crash")
    func unterminatedComment() throws {
        let error = #expect(throws: SiftError.self) {
            try ingestor.ingest(bytes: try Fixtures.bytes("poison/unterminated-comment.html"), name: "a.html")
        }
        #expect(error?.code == .emptyInput)
        for tail in ["<!", "<!-", "<!--", "<?", "<a", "<a b=", "<a b='", "<!DOCTYPE", "<?xml "] {
            let page = try HTMLTextExtractor().extract("<p>kept</p>" + tail)
            #expect(page.text == "kept", "tail \(tail)")
        }
        for tail in ["<", "</"] {
            #expect(try HTMLTextExtractor().extract("<p>kept</p>" + tail).text == "kept\n\n" + tail)
        }
    }

    /// The error ingesting `text` under `name` throws, computed off the cooperative pool.
    func ingestionError(_ text: String, name: String, with ingestor: DocumentIngestor? = nil) async throws -> SiftError? {
        let ingestor = ingestor ?? self.ingestor
        return try await onOwnThread {
            do {
                _ = try ingestor.ingest(bytes: Array(text.utf8), name: name)
                return nil
            } catch let error as SiftError {
                return error
            }
        }
    }

    @Test("40,000 comments in a row are read without recursion")
    func manyComments() async throws {
        let html = String(repeating: "<!---->", count: 40_000) + "<p>after the comments</p>"
        let page = try await onOwnThread { try HTMLTextExtractor().extract(html) }
        #expect(page.text == "after the comments")
    }

    @Test("a tag that never closes is not read again from every later '<'", .timeLimit(.minutes(1)))
    func unclosedTagsAreLinear() async throws {
        // Quadratic before: 20,000 took over a minute; ten times as many is ~0.1 s when linear.
        let html = "<p>before</p>" + String(repeating: "<a ", count: 200_000)
        let page = try await onOwnThread { try HTMLTextExtractor().extract(html) }
        #expect(page.text == "before")
    }

    @Test("elements nested deeper than the limit fail the document with a reason")
    func deepNesting() async throws {
        let deep = String(repeating: "<div>", count: 100_000) + "text"
        let error = try await ingestionError(deep, name: "deep.html")
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("deeper than 1024") == true)
        // Elements whose end tags pages leave out do not count; nor do closed ones.
        let paragraphs = String(repeating: "<p>word ", count: 5_000)
        #expect(try ingestor.ingest(bytes: Array(paragraphs.utf8), name: "p.html").text.hasPrefix("word"))
        let siblings = String(repeating: "<div>x</div>", count: 5_000)
        #expect(try ingestor.ingest(bytes: Array(siblings.utf8), name: "s.html").text.hasPrefix("x"))
        let shallow = DocumentIngestor(limits: IngestionLimits(maxHTMLDepth: 3))
        #expect(throws: SiftError.self) {
            try shallow.ingest(bytes: Array("<div><div><div><div>t</div></div></div></div>".utf8), name: "d.html")
        }
    }

    @Test("JSON nested 100,000 deep fails with a reason before any parser recurses")
    func deepJSON() async throws {
        for json in [String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 100_000) + "1"] {
            let error = try await ingestionError(json, name: "deep.json")
            #expect(error?.code == .limitExceeded)
            #expect(error?.message.contains("max_json_depth") == true)
        }
        // Brackets inside strings do not count.
        let quoted = #"{"text": "\#(String(repeating: "[{", count: 1000))\"", "title": "t"}"#
        #expect(try ingestor.ingest(bytes: Array(quoted.utf8), name: "q.json").title == "t")
    }

    @Test("extraction stops when its task is cancelled")
    func cancellation() async throws {
        let html = String(repeating: "<b>word</b> ", count: 200_000)
        let task = Task { try HTMLTextExtractor().extract(html) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("ingestion past its timeout fails with timed_out")
    func ingestionTimeout() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("big.html", String(repeating: "<b>word</b> ", count: 100_000))
        let error = await #expect(throws: SiftError.self) {
            try await ingestor.ingest(path: file, name: "big.html", timeout: .nanoseconds(1))
        }
        #expect(error?.code == .timedOut)
        #expect(try await ingestor.ingest(path: file, name: "big.html", timeout: .seconds(60)).text.hasPrefix("word"))
    }

    @Test(
        "Latin-script text in Latin-1 or Windows-1252 is read as such, not as Arabic",
        arguments: [
            ("poison/french-latin1.txt", "iso-8859-1", "Le président a déclaré que la réunion aura lieu à Tripoli après les élections."),
            ("poison/english-windows1252.txt", "windows-1252", "He said “peace” – and the minister’s plan costs 5€."),
            ("latin1.txt", "iso-8859-1", "Café au lait, s'il vous plaît. Ça coûte 3 E."),
        ]
    )
    func latinCodePages(fixture: String, encoding: String, text: String) throws {
        let document = try ingestor.ingest(bytes: try Fixtures.bytes(fixture), name: "x.txt")
        #expect(document.encoding == encoding)
        #expect(document.text.trimmingCharacters(in: .newlines) == text)
    }

    @Test("text that reads as neither Arabic nor Latin-script fails with a reason")
    func ambiguousLegacyText() throws {
        // Words of Windows-1256 Arabic letters beside as many Latin letters: as Arabic, too few
        // letters are Arabic; as Latin-1, whole words are accented letters.
        let bytes: [UInt8] = Array(repeating: Array("abcdef ".utf8) + [0xC7, 0xE1, 0xD3, 0xE1, 0x20], count: 20).flatMap { $0 }
        let error = #expect(throws: SiftError.self) { try ingestor.ingest(bytes: bytes, name: "x.txt") }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.message.contains("nor Latin-script") == true)
    }

    @Test("a file with a second hard link is refused unless allowed")
    func hardLinks() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("a.txt", "linked text")
        #expect(link(file.string, directory.path.appending("b.txt").string) == 0)
        let error = #expect(throws: SiftError.self) { try ingestor.ingest(path: file, name: "a.txt") }
        #expect(error?.code == .hardLinked)
        let allowing = DocumentIngestor(limits: IngestionLimits(allowHardLinks: true))
        #expect(try allowing.ingest(path: file, name: "a.txt").text == "linked text")
    }
}
