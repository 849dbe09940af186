import Foundation
import SystemPackage
import Testing

@testable import SiftDaemon

@Suite("Ingestion: formats and encodings")
struct DocumentIngestorTests {
    let ingestor = DocumentIngestor(maxBytes: 1 << 20)

    @Test(
        "decodes every supported encoding",
        arguments: [
            ("arabic-windows1256.txt", "windows-1256", "الأمين العام لحلف شمال الأطلسي"),
            ("arabic-iso8859-6.txt", "iso-8859-6", "الأمين العام لحلف شمال الأطلسي"),
            ("arabic-utf16le.txt", "utf-16le", "وقف إطلاق النار، والعودة"),
            ("english-utf16be.txt", "utf-16be", "Stoltenberg spoke with Sarraj"),
            ("arabic-utf8-bom.txt", "utf-8-bom", "طاولة الحوار؟"),
        ]
    )
    func decodesEncodings(fixture: String, encoding: String, excerpt: String) throws {
        let document = try ingestor.ingest(bytes: try Fixtures.bytes(fixture), name: fixture)
        #expect(document.encoding == encoding)
        #expect(document.text.contains(excerpt))
        #expect(!document.text.hasPrefix("\u{FEFF}"))
        #expect(document.format == .text)
    }

    @Test(
        "rejects what is not text, with a reason",
        arguments: [
            ("invalid-utf8.txt", SiftError.Code.invalidEncoding, "invalid UTF-8 at byte offset 6"),
            ("garbage.txt", SiftError.Code.unsupportedFormat, "binary content"),
        ]
    )
    func rejectsInvalidText(fixture: String, code: SiftError.Code, reason: String) throws {
        let error = #expect(throws: SiftError.self) {
            try ingestor.ingest(bytes: try Fixtures.bytes(fixture), name: fixture)
        }
        #expect(error?.code == code)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test("fails empty, oversized, whitespace-only and unknown-format inputs")
    func rejectsBadInputs() throws {
        #expect(throws: SiftError(.emptyInput, "the file is empty")) {
            try ingestor.ingest(bytes: [], name: "empty.txt")
        }
        let small = DocumentIngestor(maxBytes: 10)
        let tooLarge = #expect(throws: SiftError.self) { try small.ingest(bytes: Array("eleven bytes".utf8), name: "a.txt") }
        #expect(tooLarge?.code == .inputTooLarge)
        let blank = #expect(throws: SiftError.self) { try ingestor.ingest(bytes: Array(" \n\t\n".utf8), name: "blank.txt") }
        #expect(blank?.code == .emptyInput)
        let pdf = #expect(throws: SiftError.self) { try ingestor.ingest(bytes: Array("%PDF-1.7 rest".utf8), name: "paper.pdf") }
        #expect(pdf?.code == .unsupportedFormat)
        #expect(pdf?.message.contains("PDF") == true)
        let docx = #expect(throws: SiftError.self) { try ingestor.ingest(bytes: Array("text".utf8), name: "notes.docx") }
        #expect(docx?.message.contains("unsupported format '.docx'") == true)
    }

    @Test("reads JSON inputs with text, title, url and published")
    func readsJSON() throws {
        let document = try ingestor.ingest(bytes: try Fixtures.bytes("article.json"), name: "article.json")
        #expect(document.format == .json)
        #expect(document.title == "Stoltenberg calls Sarraj")
        #expect(document.metadata == ["url": "https://news.example/a", "published": "2020-06-13"])
        #expect(document.text.hasPrefix("NATO Secretary General"))
    }

    @Test(
        "rejects malformed JSON with a reason",
        arguments: [
            ("{\"text\": 42}", "no string member \"text\""),
            ("[\"text\"]", "must be an object"),
            ("{\"text\": \"ok\", \"title\": 1}", "\"title\" must be a string"),
            ("{\"text\": \"unterminated", "malformed JSON"),
        ]
    )
    func rejectsMalformedJSON(json: String, reason: String) throws {
        let error = #expect(throws: SiftError.self) { try ingestor.ingest(bytes: Array(json.utf8), name: "x.json") }
        #expect(error?.code == .malformedInput)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test("sniffs the format of inputs without an extension")
    func sniffsFormat() throws {
        let html = try ingestor.ingest(bytes: Array("<!doctype html><title>T</title><p>Body text</p>".utf8), name: "page")
        #expect(html.format == .html)
        #expect(html.title == "T")
        let json = try ingestor.ingest(bytes: Array(#"{"text":"hello"}"#.utf8), name: "payload")
        #expect(json.format == .json)
        let text = try ingestor.ingest(bytes: Array("plain words\r\nsecond line".utf8), name: "README")
        #expect(text.format == .text)
        #expect(text.text == "plain words\nsecond line")
    }

    @Test("takes a markdown title from its first heading")
    func markdownTitle() throws {
        let document = try ingestor.ingest(bytes: try Fixtures.bytes("notes.md"), name: "notes.md")
        #expect(document.format == .markdown)
        #expect(document.title == "Weekly notes")
    }

    @Test("records size and SHA-256 of the bytes")
    func digest() throws {
        let document = try ingestor.ingest(bytes: Array("abc".utf8), name: "abc.txt")
        #expect(document.size == 3)
        #expect(document.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("never follows a symbolic link, and refuses directories")
    func refusesLinksAndDirectories() throws {
        let directory = try TemporaryDirectory()
        let link = directory.path.appending("passwd.txt")
        try FileManager.default.createSymbolicLink(atPath: link.string, withDestinationPath: "/etc/passwd")
        let linkError = #expect(throws: SiftError.self) { try ingestor.ingest(path: link, name: "passwd.txt") }
        #expect(linkError?.code == .notRegularFile)
        #expect(linkError?.message.contains("symbolic link") == true)
        let subdirectory = directory.path.appending("folder.txt")
        try FileManager.default.createDirectory(atPath: subdirectory.string, withIntermediateDirectories: false)
        let directoryError = #expect(throws: SiftError.self) { try ingestor.ingest(path: subdirectory, name: "folder.txt") }
        #expect(directoryError?.code == .notRegularFile)
    }
}
