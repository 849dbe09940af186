import Foundation
import SystemPackage
import Testing

@testable import SiftDaemon

@Suite("Spool: claims, results and dispositions")
struct SpoolTests {
    @Test("a claim moves the input into the instance's work directory, once")
    func claimOnce() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        let other = Spool(layout: spool.layout, instance: "two")
        try SpoolLayout(spool: directory.path).prepare(instance: "two")
        _ = try directory.write("inbox/report.txt", "text")
        let claim = try #require(try spool.claim("report.txt"))
        #expect(try other.claim("report.txt") == nil)
        #expect(try directory.names(in: "inbox").isEmpty)
        #expect(FileManager.default.fileExists(atPath: claim.path.string))
        #expect(claim.path.string.hasSuffix("work/one/\(claim.documentID)~report.txt"))
        #expect(claim.directory == nil)
    }

    @Test("publishing again for the same document reuses its result; another document gets the next name")
    func publishIdempotent() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        _ = try directory.write("inbox/a.txt", "x")
        let first = try #require(try spool.claim("a.txt"))
        let record = Array(#"{"document_id":"\#(first.documentID)"}"#.utf8)
        #expect(try spool.publishResult(record, for: first) == "a.txt.json")
        #expect(try spool.publishResult(record, for: first) == "a.txt.json")
        _ = try directory.write("inbox/a.txt", "y")
        let second = try #require(try spool.claim("a.txt"))
        let secondRecord = Array(#"{"document_id":"\#(second.documentID)"}"#.utf8)
        #expect(try spool.publishResult(secondRecord, for: second) == "a.txt.2.json")
        #expect(try directory.names(in: "outbox") == ["a.txt.2.json", "a.txt.json"])
    }

    @Test("success moves the input to processed/ without replacing an earlier one")
    func processedNames() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        for _ in 0..<2 {
            _ = try directory.write("inbox/n.txt", "x")
            let claim = try #require(try spool.claim("n.txt"))
            try spool.finishSucceeded(claim, deleteInput: false)
            #expect(!FileManager.default.fileExists(atPath: claim.path.string))
        }
        #expect(try directory.names(in: "processed") == ["n.2.txt", "n.txt"])
    }

    @Test("failure sets the input aside with an error record naming stage and reason")
    func failedRecord() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        _ = try directory.write("inbox/bad.bin", "x")
        let claim = try #require(try spool.claim("bad.bin"))
        let name = try spool.finishFailed(claim) { failedName in
            FailureRecord(
                schemaVersion: ResultRecord.currentSchemaVersion, siftdVersion: "t", documentID: claim.documentID, instance: "one", name: "bad.bin",
                failedName: failedName, stage: "ingest", plugin: nil, code: "unsupported_format", message: "nope",
                time: "now", sha256: nil
            )
        }
        #expect(name == "bad.bin")
        #expect(try directory.names(in: "failed") == ["bad.bin", "bad.bin.error.json"])
        let record = try JSONDecoder().decode(
            FailureRecord.self, from: Data(contentsOf: URL(fileURLWithPath: directory.path.appending("failed/bad.bin.error.json").string))
        )
        #expect(record.stage == "ingest")
        #expect(record.code == "unsupported_format")
        #expect(record.documentID == claim.documentID)
    }

    @Test("recovery finds unfinished claims and removes this instance's temporary files only")
    func recovery() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        _ = try directory.write("inbox/left.txt", "x")
        let claim = try #require(try spool.claim("left.txt"))
        _ = try directory.write("outbox/.siftd-one-\(claim.documentID).tmp", "partial")
        _ = try directory.write("outbox/.siftd-two-other.tmp", "someone else's")
        try FileManager.default.createDirectory(
            atPath: directory.path.appending("work/one/\(DocumentID.make())").string, withIntermediateDirectories: false
        )
        let recovered = try spool.recoverClaims()
        #expect(recovered == [claim])
        #expect(try directory.names(in: "outbox") == [".siftd-two-other.tmp"])
        #expect(try directory.names(in: "work/one") == ["\(claim.documentID)~left.txt"])
    }

    @Test("a name too long to carry the document id is claimed into a directory of its own")
    func longNames() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool.prepared(in: directory)
        let name = String(repeating: "ع", count: 120) + ".txt"  // 244 bytes
        _ = try directory.write("inbox/\(name)", "long")
        let claim = try #require(try spool.claim(name))
        #expect(claim.directory != nil)
        #expect(claim.path.lastComponent?.string == name)
        #expect(try spool.recoverClaims() == [claim])
        try spool.finishSucceeded(claim, deleteInput: false)
        #expect(try directory.names(in: "processed") == [name])
        #expect(try directory.names(in: "work/one").isEmpty)
    }

    @Test("a second instance with the same name cannot start")
    func instanceLock() throws {
        let directory = try TemporaryDirectory()
        let layout = SpoolLayout(spool: directory.path)
        try layout.prepare(instance: "same")
        let lock = try InstanceLock(layout: layout, instance: "same")
        let error = #expect(throws: SiftError.self) { try InstanceLock(layout: layout, instance: "same") }
        #expect(error?.code == .instanceLocked)
        #expect(error?.message.contains("pid \(getpid())") == true)
        withExtendedLifetime(lock) {}
        try layout.prepare(instance: "other")
        #expect(throws: Never.self) { try InstanceLock(layout: layout, instance: "other") }
    }

    @Test(
        "numbered names go before the last extension",
        arguments: [
            ("report.txt", 1, "report.txt"), ("report.txt", 2, "report.2.txt"), ("a.txt.json", 3, "a.txt.3.json"),
            ("README", 2, "README.2"), (".hidden", 2, ".hidden.2"),
        ])
    func uniqueNames(name: String, attempt: Int, expected: String) {
        #expect(UniqueName.candidate(name, attempt: attempt) == expected)
    }

    @Test("document ids are UUIDv7 and sort by time")
    func documentIDs() {
        var earlier = timespec(tv_sec: 1_700_000_000, tv_nsec: 0)
        let first = DocumentID.make(now: earlier)
        earlier.tv_sec += 1
        let second = DocumentID.make(now: earlier)
        #expect(DocumentID.isValid(first))
        #expect(Array(first)[14] == "7")
        #expect(first < second)
        // The milliseconds since 1970 in the first 48 bits, the RFC 9562 variant, parsed as a UUID.
        #expect(first.hasPrefix("018bcfe5-6800-7") && "89ab".contains(Array(first)[19]))
        #expect(UUID(uuidString: first)?.uuidString.lowercased() == first)
    }
}
