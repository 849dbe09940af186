import Foundation
import Testing

@testable import SiftDaemon

/// Every input of the fuzzer's seed corpus, and every input that ever crashed or stalled it
/// (`Tests/Fuzz/Regressions`), goes through ingestion on each test run: an error is fine, a
/// crash or a hang is not.
@Suite("Ingestion: fuzzing regressions")
struct FuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ folder: String) -> [String] {
        let directory = fuzz.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { "\(folder)/\($0)" }
    }

    /// The name the fuzzer ingests an input under: chosen by its first byte.
    static func name(selector: UInt8) -> String {
        let byLetter: [UInt8: String] = [104: "x.html", 106: "x.json", 109: "x.md", 116: "x.txt", 115: "x", 117: "x.pdf"]
        let all = ["x.html", "x.json", "x.md", "x.txt", "x", "x.pdf"]
        return byLetter[selector] ?? all[Int(selector) % all.count]
    }

    @Test("the corpus and the regressions are there")
    func present() {
        #expect(Self.inputs("Corpus").count >= 40)
        #expect(Self.inputs("Regressions").count >= 9)
    }

    @Test("ingesting never crashes or hangs", .timeLimit(.minutes(2)), arguments: inputs("Corpus") + inputs("Regressions"))
    func ingests(input: String) async throws {
        let bytes = Array(try Data(contentsOf: Self.fuzz.appendingPathComponent(input)))
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        let message = try await onOwnThread { () -> String? in
            _ = try? HTMLTextExtractor().extract(String(decoding: body, as: UTF8.self))
            do {
                _ = try DocumentIngestor(maxBytes: 4 << 20).ingest(bytes: body, name: Self.name(selector: selector))
                return nil
            } catch let error as SiftError {
                return error.message
            }
        }
        #expect(message.map { !$0.isEmpty } ?? true)
    }
}
