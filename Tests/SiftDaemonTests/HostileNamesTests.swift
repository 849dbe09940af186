import Foundation
import SystemPackage
import Testing

@testable import SiftDaemon

/// Names and spool details that used to wedge documents: any name a file system allows is processed.
@Suite("Spool: hostile names and spool details")
struct HostileNamesTests {
    func record(_ claim: ClaimedFile, _ failedName: String) -> FailureRecord {
        FailureRecord(
            schemaVersion: ResultRecord.currentSchemaVersion, siftdVersion: "t", documentID: claim.documentID, instance: "one", name: claim.name,
            failedName: failedName, stage: "ingest", plugin: nil, code: "malformed_input", message: "nope",
            time: "now", sha256: nil
        )
    }

    @Test("derived names fit in 255 bytes, keep the start of the name and differ by a digest")
    func fittedNames() {
        let stem = String(repeating: "ن", count: 123)
        let first = stem + "a.txt"
        let second = stem + "b.txt"
        #expect(first.utf8.count == 251)
        let fitted = FileName.fitted(first, suffix: ".error.json")
        #expect(fitted.utf8.count <= 255)
        #expect(fitted.hasPrefix(String(repeating: "ن", count: 100)))
        #expect(fitted.hasSuffix(".txt.error.json"))
        #expect(fitted != FileName.fitted(second, suffix: ".error.json"))
        #expect(FileName.fitted("short.txt", suffix: ".json") == "short.txt.json")
        for attempt in [2, 10_000] {
            let candidate = UniqueName.candidate(first, attempt: attempt, suffix: ".error.json")
            #expect(candidate.utf8.count <= 255)
            #expect(candidate.hasSuffix(".\(attempt).error.json"))
        }
        #expect(UniqueName.candidate(String(repeating: "x", count: 255), attempt: 2).utf8.count == 255)
    }

    @Test("names that are not UTF-8 are escaped byte by byte; control characters are escaped for logs")
    func escapedNames() {
        #expect(FileName.escaped(Array("bad".utf8) + [0xFF, 0xFE] + Array("name.txt".utf8)) == "bad\\xff\\xfename.txt")
        #expect(FileName.escaped(Array("خبر.txt".utf8)) == "خبر.txt")
        #expect(FileName.escaped([0xD8]) == "\\xd8")  // a truncated Arabic letter
        #expect(FileName.printable("first line\nsecond\tline.txt") == "first line\\nsecond\\tline.txt")
        #expect(FileName.printable("a\\b", keepingBackslashes: true) == "a\\b")
        #expect(FileName.printable("خبر عاجل.txt") == "خبر عاجل.txt")
    }

    @Test("a result for a 251-byte name is published under a shortened name, and no temporary file stays")
    func longNameResult() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        let name = String(repeating: "ن", count: 123) + "x.txt"
        _ = try directory.write("inbox/\(name)", "text")
        let claim = try #require(try spool.claim(name))
        let published = try spool.publishResult(Array(#"{"document_id":"\#(claim.documentID)"}"#.utf8), for: claim)
        #expect(published.utf8.count <= 255)
        #expect(try directory.names(in: "outbox") == [published])
        let failedName = try spool.finishFailed(claim) { record(claim, $0) }
        #expect(try directory.names(in: "failed").sorted() == [failedName, failedName + ".error.json"].sorted())
    }

    @Test("an input named like an error record never takes an error record's name")
    func errorRecordNames() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        _ = try directory.write("inbox/report.txt.error.json", "{not json")
        let impostor = try #require(try spool.claim("report.txt.error.json"))
        #expect(try spool.finishFailed(impostor) { record(impostor, $0) } == "report.txt.error.json.input")
        _ = try directory.write("inbox/report.txt", "x")
        let real = try #require(try spool.claim("report.txt"))
        #expect(try spool.finishFailed(real) { record(real, $0) } == "report.txt")
        let failed = try directory.names(in: "failed")
        #expect(failed == ["report.txt", "report.txt.error.json", "report.txt.error.json.input", "report.txt.error.json.input.error.json"])
        let text = try String(contentsOfFile: directory.path.appending("failed/report.txt.error.json").string, encoding: .utf8)
        #expect(text.contains(real.documentID))
    }

    @Test("an instance removes only its own temporary files, matched exactly")
    func exactTemporaryFiles() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory, instance: "a")
        let id = DocumentID.make()
        _ = try directory.write("outbox/.siftd-a-\(id).tmp", "mine")
        _ = try directory.write("outbox/.siftd-a-b-\(id).tmp", "instance a-b's")
        _ = try spool.recoverClaims()
        #expect(try directory.names(in: "outbox") == [".siftd-a-b-\(id).tmp"])
    }

    @Test("a file whose name is not UTF-8 is renamed to its escaped form and handed out")
    func undecodableName() async throws {
        let directory = try TemporaryDirectory()
        let raw = Array("bad".utf8) + [0xFF, 0xFE] + Array("name.txt".utf8)
        let path = try #require(FileSystem.path(in: directory.path, rawName: raw))
        try FileSystem.writeNewFile(Array("text".utf8), to: path)
        #expect(try FileSystem.listing(of: directory.path).undecodable == [raw])
        let intake = Intake(inbox: directory.path, settle: .zero)
        try intake.rescan()
        intake.tick()
        #expect(await intake.next() == .inbox("bad\\xff\\xfename.txt"))
        #expect(try directory.names(in: ".") == ["bad\\xff\\xfename.txt"])
    }

    @Test("deferred results are retried after a second, then two, four… up to the rescan interval; success resets it")
    func deferredBackoff() {
        let deferred = DeferredClaims()
        let delays = (0..<8).map { _ in deferred.nextDelay(limit: .seconds(60)) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60].map { Duration.seconds($0) })
        deferred.noteSuccess()
        #expect(deferred.nextDelay(limit: .seconds(60)) == .seconds(1))
    }

    @Test("the documents in flight at a death are retried alone; one in flight at a second death is quarantined")
    func quarantine() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        let instance = spool.layout.instanceDirectory("one")
        let claims = try ["a.txt", "b.txt", "c.txt"].map { name in
            _ = try directory.write("inbox/\(name)", name)
            return try #require(try spool.claim(name))
        }
        do {
            let first = try CrashQuarantine(instanceDirectory: instance)
            #expect(try first.recover(claims) == .init(others: claims))
            first.begin(slot: 0, documentID: claims[0].documentID)
            first.begin(slot: 1, documentID: claims[1].documentID)
            first.begin(slot: 1, documentID: claims[2].documentID)
            first.end(slot: 1)
        }  // the process dies with a.txt in flight
        do {
            let second = try CrashQuarantine(instanceDirectory: instance)
            #expect(try second.recover(claims) == .init(suspects: [claims[0]], others: [claims[1], claims[2]]))
            second.begin(slot: 0, documentID: claims[0].documentID, alone: true)
        }  // and again, with a.txt alone
        let third = try CrashQuarantine(instanceDirectory: instance)
        #expect(try third.recover(claims) == .init(quarantined: [claims[0]], others: [claims[1], claims[2]]))
    }

    @Test("a suspect survives a death it was not part of")
    func suspectKept() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        let instance = spool.layout.instanceDirectory("one")
        _ = try directory.write("inbox/a.txt", "a")
        let claim = try #require(try spool.claim("a.txt"))
        try CrashQuarantine(instanceDirectory: instance).begin(slot: 0, documentID: claim.documentID)
        #expect(try CrashQuarantine(instanceDirectory: instance).recover([claim]).suspects == [claim])
        // Died again before it ran (nothing in flight): still a suspect, not quarantined.
        #expect(try CrashQuarantine(instanceDirectory: instance).recover([claim]).suspects == [claim])
    }
}
