import Foundation
import Logging
import Testing

@testable import SiftDaemon
@testable import SiftSystemd

#if canImport(Glibc)
import Glibc
#endif

@Suite("Journal fields and the message catalog")
struct JournalTests {
    static let catalog = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("systemd/siftd.catalog")

    @Test("every event has a unique 128-bit id and a catalog entry, and the catalog has no other")
    func catalogMatchesEvents() throws {
        let text = try String(contentsOf: Self.catalog, encoding: .utf8)
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        #expect(Set(ids) == Set(SiftEvent.allCases.map(\.messageID)))
        #expect(ids.count == SiftEvent.allCases.count)
        for event in SiftEvent.allCases {
            #expect(event.messageID.count == 32 && event.messageID.allSatisfy(\.isHexDigit), "\(event)")
        }
    }

    @Test("entries carry message, priority, identifier, code location, MESSAGE_ID and SIFTD_ metadata")
    func fields() {
        let event = LogEvent(
            level: .warning, message: "plugin failed: first line\nsecond line", metadata: nil,
            source: "SiftDaemon", file: "SiftDaemon/DocumentWorkflow.swift", function: "process(_:with:)", line: 42
        )
        let metadata: Logger.Metadata = [
            "document": "report.txt", "duration_ms": "12.5", "message_id": "\(SiftEvent.pluginFailed.messageID)",
            "plugin-name": "top words", "list": ["a", "b"],
        ]
        let fields = JournalLogHandler.fields(event, metadata: metadata, identifier: "siftd")
            .map { String(decoding: $0, as: UTF8.self) }
        #expect(fields.contains("MESSAGE=plugin failed: first line\nsecond line"))
        #expect(fields.contains("PRIORITY=4"))
        #expect(fields.contains("SYSLOG_IDENTIFIER=siftd"))
        #expect(fields.contains("CODE_FILE=SiftDaemon/DocumentWorkflow.swift"))
        #expect(fields.contains("CODE_LINE=42"))
        #expect(fields.contains("CODE_FUNC=process(_:with:)"))
        #expect(fields.contains("MESSAGE_ID=\(SiftEvent.pluginFailed.messageID)"))
        #expect(fields.contains("SIFTD_DOCUMENT=report.txt"))
        #expect(fields.contains("SIFTD_DURATION_MS=12.5"))
        #expect(fields.contains("SIFTD_PLUGIN_NAME=top words"))
        #expect(fields.contains("SIFTD_LIST=[a, b]"))
        #expect(!fields.contains { $0.hasPrefix("SIFTD_MESSAGE_ID") })
    }

    @Test(
        "levels map to syslog priorities",
        arguments: [
            (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ])
    func priorities(level: Logger.Level, priority: Int) {
        #expect(JournalLogHandler.priority(level) == priority)
    }

    @Test("standard error counts as the journal only when JOURNAL_STREAM names it")
    func journalStream() {
        var status = stat()
        fstat(2, &status)
        #expect(LogDestination.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino)"]))
        #expect(!LogDestination.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino + 1)"]))
        #expect(!LogDestination.standardErrorIsJournal(environment: [:]))
        #expect(!LogDestination.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "garbage"]))
    }

    @Test("the status line shows the figures and a rate")
    func statusLine() {
        var line = StatusLine()
        let start = ContinuousClock.now
        var figures = ProcessingCounters.Snapshot()
        #expect(line.render(figures, queued: 3, now: start) == "processed 0, failed 0, queued 3, in flight 0, 0.0 documents/s")
        figures.processed = 18
        figures.failed = 2
        figures.inFlight = 1
        figures.lastDocument = "report.txt"
        #expect(
            line.render(figures, queued: 0, now: start + .seconds(2))
                == "processed 18, failed 2, queued 0, in flight 1, 10.0 documents/s, last report.txt"
        )
    }
}
