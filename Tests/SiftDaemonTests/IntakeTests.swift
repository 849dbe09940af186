import Foundation
import SystemPackage
import Testing

@testable import SiftDaemon

@Suite("Intake: when a file is complete")
struct IntakeTests {
    @Test("a renamed-in file is ready at once; one written in place waits for the settle time")
    func settle() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let intake = Intake(inbox: directory.path, settle: .milliseconds(300), clock: clock)
        _ = try directory.write("moved.txt", "complete")
        _ = try directory.write("written.txt", "growing")
        intake.note(.movedIn("moved.txt"))
        intake.note(.closedWrite("written.txt"))
        #expect(await intake.next() == .inbox("moved.txt"))
        clock.advance(by: .milliseconds(299))
        intake.tick()
        #expect(intake.queued == 1, "not settled a moment before the settle time")
        clock.advance(by: .milliseconds(1))
        intake.tick()
        #expect(await intake.next() == .inbox("written.txt"))
    }

    @Test("a file that keeps changing is not taken until it stops")
    func changing() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let intake = Intake(inbox: directory.path, settle: .milliseconds(200), clock: clock)
        let file = try directory.write("slow.txt", "a")
        intake.note(.changed("slow.txt"))
        for chunk in ["b", "c", "d"] {
            clock.advance(by: .milliseconds(250))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file.string))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(chunk.utf8))
            try handle.close()
            intake.tick()  // size changed since the last look: not ready, and the settle time starts again
            #expect(intake.queued == 1)
        }
        clock.advance(by: .milliseconds(199))
        intake.tick()
        #expect(intake.queued == 1)
        clock.advance(by: .milliseconds(1))
        intake.tick()
        #expect(await intake.next() == .inbox("slow.txt"))
    }

    @Test("a file still open for writing is not taken")
    func openForWriting() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let intake = Intake(inbox: directory.path, settle: .milliseconds(50), clock: clock)
        let file = try directory.write("open.txt", "start")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file.string))
        intake.note(.changed("open.txt"))
        clock.advance(by: .milliseconds(100))
        intake.tick()
        clock.advance(by: .milliseconds(100))
        intake.tick()
        #expect(intake.queued == 1)
        try handle.close()
        clock.advance(by: .milliseconds(100))
        intake.tick()
        #expect(await intake.next() == .inbox("open.txt"))
    }

    @Test("a file renamed in but still open for writing waits like one written in place")
    func renamedButOpen() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let intake = Intake(inbox: directory.path, settle: .milliseconds(50), clock: clock)
        let file = try directory.write("renamed.txt", "start")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file.string))
        intake.note(.movedIn("renamed.txt"))
        #expect(intake.queued == 1)
        clock.advance(by: .milliseconds(100))
        intake.tick()
        #expect(intake.queued == 1)
        try handle.close()
        clock.advance(by: .milliseconds(100))
        intake.tick()
        #expect(await intake.next() == .inbox("renamed.txt"))
    }

    @Test("a listing adds unknown files; closing wakes waiting workers")
    func listingAndClose() async throws {
        let directory = try TemporaryDirectory()
        let intake = Intake(inbox: directory.path, settle: .zero, clock: ManualClock())
        _ = try directory.write("b.txt", "x")
        _ = try directory.write("a.txt", "x")
        _ = try directory.write(".hidden", "x")
        _ = try directory.write("upload.part", "x")
        try FileManager.default.createDirectory(atPath: directory.path.appending("sub").string, withIntermediateDirectories: false)
        try intake.rescan()
        intake.tick()
        #expect(await intake.next() == .inbox("a.txt"))
        #expect(await intake.next() == .inbox("b.txt"))
        async let waiting = intake.next()
        while intake.waitingWorkers == 0 { await Task.yield() }
        intake.close()
        #expect(await waiting == nil)
        #expect(await intake.next() == nil, "and later calls return at once")
    }

    @Test("an idle supervisor sleeps until a file starts settling")
    func idleWait() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let intake = Intake(inbox: directory.path, settle: .zero, clock: clock)
        async let quiet: Void = intake.waitForSettlingFiles(timeout: .milliseconds(200))
        try await clock.waitForSleeps("for the timeout") { $0 == [.milliseconds(200)] }
        clock.advance(by: .milliseconds(199))
        #expect(clock.sleeps == [.milliseconds(1)], "nothing settles: still waiting a moment before the timeout")
        clock.advance(by: .milliseconds(1))
        await quiet

        async let woken: Void = intake.waitForSettlingFiles(timeout: .seconds(30))
        try await clock.waitForSleeps("for the second timeout") { $0 == [.seconds(30)] }
        _ = try directory.write("new.txt", "x")
        intake.note(.changed("new.txt"))
        await woken
        #expect(clock.now == .init(offset: .milliseconds(200)), "a new file wakes the supervisor before its timeout")
        await intake.waitForSettlingFiles(timeout: .seconds(30))  // returns at once while a file settles
        #expect(clock.sleeps.isEmpty)
    }

    @Test("claims to retry come before new files")
    func retriesFirst() async throws {
        let directory = try TemporaryDirectory()
        let intake = Intake(inbox: directory.path, settle: .zero)
        _ = try directory.write("new.txt", "x")
        intake.note(.movedIn("new.txt"))
        let claim = ClaimedFile.make(documentID: DocumentID.make(), name: "old.txt", in: directory.path)
        intake.retry([claim])
        #expect(intake.queued == 2)
        #expect(await intake.next() == .claim(claim))
        #expect(await intake.next() == .inbox("new.txt"))
    }

    @Test("temporary and hidden names are ignored", arguments: [
        ("report.txt", true), (".report.txt", false), ("report.txt.part", false), ("report.tmp", false),
        ("report.txt~", false), (".report.txt.swp", false), (".#report.txt", false), ("REPORT.TMP", false),
        ("تقرير.txt", true),
    ])
    func filter(name: String, accepted: Bool) {
        #expect(InboxFilter.accepts(name) == accepted)
    }
}
