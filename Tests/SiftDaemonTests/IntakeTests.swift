import Foundation
import InMemoryLogging
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
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

    @Test(
        "a backlog beyond the capacity waits in the inbox, and is listed part by part as the workers drain the intake",
        .timeLimit(.minutes(1)))
    func boundedBacklog() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let intake = Intake(inbox: directory.path, settle: .zero, clock: clock, capacity: 4)
        let names = (0..<11).map { "file-\($0).txt" }
        for name in names { _ = try directory.write(name, "x") }
        try intake.rescan()
        #expect(intake.queued == 4)
        #expect(intake.backlogBeyondCapacity)
        #expect(!intake.wantsListing, "a full intake wants no listing")

        intake.note(.movedIn(names[0]))
        #expect(intake.queued == 4, "an event for a known name adds nothing")
        _ = try directory.write("late.txt", "x")
        intake.note(.movedIn("late.txt"))
        #expect(intake.queued == 4, "nor one for a new name while full: it waits in the inbox")

        var taken: [String] = []
        while taken.count < names.count + 1 {
            intake.tick()
            // A worker claims the file: it leaves the inbox.
            guard case .inbox(let name) = await intake.next() else { break }
            taken.append(name)
            try FileManager.default.removeItem(atPath: directory.path.appending(name).string)
            #expect(intake.queued <= 4)
            if intake.wantsListing {
                #expect(intake.queued <= 2, "the next listing comes once half is taken")
                try intake.rescan()
            }
        }
        #expect(taken.sorted() == (names + ["late.txt"]).sorted(), "every file once")
        #expect(!intake.backlogBeyondCapacity)
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

    @Test(
        "temporary and hidden names are ignored",
        arguments: [
            ("report.txt", true), (".report.txt", false), ("report.txt.part", false), ("report.tmp", false),
            ("report.txt~", false), (".report.txt.swp", false), (".#report.txt", false), ("REPORT.TMP", false),
            ("تقرير.txt", true),
        ])
    func filter(name: String, accepted: Bool) {
        #expect(InboxFilter.accepts(name) == accepted)
    }
}

@Suite("Intake service: listings, retries and a lost inbox")
struct IntakeServiceTests {
    let logs = InMemoryLogHandler()

    func service(_ intake: Intake, watcher: InotifyWatcher? = nil, deferred: DeferredClaims = DeferredClaims(), listing: Duration) -> IntakeService {
        let handler = logs
        return IntakeService(
            intake: intake, watcher: watcher, deferred: deferred, listingInterval: { listing },
            logger: Logger(label: "test") { _ in handler }
        )
    }

    /// Runs `service` while `body` drives it, then shuts it down gracefully and waits for it to end.
    func running(_ service: IntakeService, _ body: () async throws -> Void) async throws {
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                try await body()
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test("polling: a file that arrives without an event is found at the next listing, not before")
    func polling() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let intake = Intake(inbox: directory.path, settle: .zero, clock: clock)
        try await running(service(intake, listing: .seconds(2))) {
            try await clock.waitForSleeps("until the next listing") { $0 == [.seconds(2)] }
            _ = try directory.write("dropped.txt", "x")
            clock.advance(by: .milliseconds(1999))
            #expect(intake.queued == 0)
            clock.advance(by: .milliseconds(1))
            #expect(await intake.next() == .inbox("dropped.txt"))
            try await clock.waitForSleeps("until the listing after") { $0 == [.seconds(2)] }
        }
        #expect(intake.isClosed, "graceful shutdown closes the intake")
    }

    @Test("deferred claims come back after a second, then two; a success brings the second back")
    func deferredBackoff() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let intake = Intake(inbox: directory.path, settle: .zero, clock: clock)
        let deferred = DeferredClaims()
        let claim = ClaimedFile.make(documentID: DocumentID.make(), name: "a.txt", in: directory.path)
        try await running(service(intake, deferred: deferred, listing: .seconds(60))) {
            try await clock.waitForSleeps("until the next listing") { $0 == [.seconds(60)] }
            for delay in [Duration.seconds(1), .seconds(2)] {
                deferred.add(claim)
                try await clock.waitForSleeps("for the backoff") { $0.first == delay }
                clock.advance(by: delay - .milliseconds(1))
                #expect(intake.queued == 0, "not retried before its backoff")
                clock.advance(by: .milliseconds(1))
                #expect(await intake.next() == .claim(claim))
            }
            deferred.noteSuccess()
            deferred.add(claim)
            try await clock.waitForSleeps("for the backoff after a success") { $0.first == .seconds(1) }
            clock.advance(by: .seconds(1))
            #expect(await intake.next() == .claim(claim))
        }
        #expect(logs.entries.filter { $0.message == "retrying 1 document(s) whose results could not be written" }.count == 3)
    }

    @Test("the service fails, and the intake closes, when the inbox directory goes away")
    func inboxLost() async throws {
        let directory = try TemporaryDirectory()
        let inbox = directory.path.appending("inbox")
        try FileManager.default.createDirectory(atPath: inbox.string, withIntermediateDirectories: false)
        let intake = Intake(inbox: inbox, settle: .zero, clock: ManualClock())
        let service = service(intake, watcher: try InotifyWatcher(directory: inbox), listing: .seconds(60))
        let run = Task { try await service.run() }
        try FileManager.default.removeItem(atPath: inbox.string)
        let error = await #expect(throws: SiftError.self) { try await run.value }
        #expect(error?.message.contains("the inbox directory was removed or moved") == true)
        #expect(intake.isClosed)
        #expect(logs.entries.contains { $0.level == .critical && "\($0.message)".contains("siftd cannot watch it any more") })
    }
}
