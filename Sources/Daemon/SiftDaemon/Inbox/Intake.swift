import CLinux
import Collections
import Foundation
import Logging
import SiftSystemd
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A piece of work for a worker.
public enum IntakeItem: Sendable, Equatable {
    /// A complete file in the inbox, to be claimed.
    case inbox(String)
    /// A file this instance already claimed, to be processed again.
    case claim(ClaimedFile)
}

/// Decides when an inbox file is complete and hands complete files to workers, one at a time.
///
/// Renamed-in files are ready at once. Files written in place become ready only after their size
/// and modification time stayed unchanged for the settle time since the last event, and no process
/// holds them open for writing (checked with a read lease where the kernel allows it). Workers pull
/// names with ``next()``, so a file is claimed only when a worker is free: the back-pressure that
/// leaves the rest in the inbox for other instances.
///
/// It knows at most ``capacity`` names at a time (settling or ready). A backlog larger than that
/// stays in the inbox, unlisted: a listing stops when the intake is full, and once the workers
/// have taken half of what it holds, ``IntakeService`` lists the inbox again for the next part.
/// Memory and the work of each tick stay bounded whatever the inbox holds.
///
/// Time comes from the clock it is given: the settle time here, and the listings, ticks and
/// retry backoffs of the service that feeds it, which sleeps on the same clock. Tests give it
/// a clock they advance by hand.
public final class Intake: Sendable {
    private struct Candidate {
        var size: Int
        var modified: timespec
        var lastChange: Duration
    }

    private struct State {
        var pending: [String: Candidate] = [:]
        var ready: Deque<String> = []
        var readyNames: Set<String> = []
        var retries: Deque<ClaimedFile> = []
        /// Names were left in the inbox because the intake was full.
        var overflowed = false
        var waiters: Deque<CheckedContinuation<IntakeItem?, Never>> = []
        var closed = false
        /// The supervisor waiting for a file to start settling, if it is idle.
        var sleeper: CheckedContinuation<Void, Never>?
        /// Set when the sleeper's wait was cancelled before it registered.
        var sleeperCancelled = false

        mutating func take() -> IntakeItem? {
            if let claim = retries.popFirst() { return .claim(claim) }
            if let name = ready.popFirst() {
                readyNames.remove(name)
                return .inbox(name)
            }
            return nil
        }

        /// The names known: settling or ready.
        var known: Int { pending.count + ready.count }

        func isKnown(_ name: String) -> Bool {
            pending[name] != nil || readyNames.contains(name)
        }
    }

    /// The most names known at once when none is given.
    public static let defaultCapacity = 8192

    /// The most names known at once (settling or ready); the rest of a backlog waits in the inbox.
    public let capacity: Int

    private let inbox: FilePath
    private let logger: Logger
    private let settle: Mutex<Duration>
    private let state = Mutex(State())
    /// The clock settle times are measured with, and that ``IntakeService`` sleeps on.
    let clock: IntakeClock

    /// Creates an intake for `inbox` whose settle time is measured with `clock`.
    public init(
        inbox: FilePath, settle: Duration, clock: any Clock<Duration> = ContinuousClock(), capacity: Int = Intake.defaultCapacity,
        logger: Logger = Logger(label: "siftd")
    ) {
        self.inbox = inbox
        self.capacity = max(capacity, 1)
        self.settle = Mutex(settle)
        self.clock = IntakeClock(clock)
        self.logger = logger
    }

    /// Changes the settle time (on reload).
    public func setSettle(_ duration: Duration) {
        settle.withLock { $0 = duration }
    }

    /// Notes a watcher event.
    public func note(_ event: InboxEvent) {
        switch event {
        case .movedIn(let name):
            guard InboxFilter.accepts(name) else { return }
            guard let status = FileSystem.status(inbox.appending(name)), status.st_mode & S_IFMT != S_IFDIR else { return }
            // A writer that renames first and writes after is treated like one writing in place.
            if Self.isOpenForWriting(inbox.appending(name)) {
                track(name)
            } else {
                enqueue([name])
            }
        case .closedWrite(let name), .changed(let name):
            guard InboxFilter.accepts(name) else { return }
            track(name)
        case .undecodableName(let bytes):
            if let name = repairName(bytes) { note(.movedIn(name)) }
        case .overflow, .watchLost:
            break
        }
    }

    /// Renames a file whose name is not UTF-8 to its escaped form, so that it can be processed and
    /// its results named like any other; returns the new name, or `nil` when it is not a document
    /// or is gone.
    func repairName(_ bytes: [UInt8]) -> String? {
        let escaped = FileName.escaped(bytes)
        guard InboxFilter.accepts(escaped), let source = FileSystem.path(in: inbox, rawName: bytes) else { return nil }
        for attempt in 1...UniqueName.maximumAttempts {
            let name = UniqueName.candidate(escaped, attempt: attempt)
            do {
                switch try FileSystem.moveNoReplace(source, to: inbox.appending(name)) {
                case .moved:
                    logger.log(
                        .documentRenamed, .notice, "renamed an input whose name is not UTF-8 to \(FileName.printable(name))",
                        metadata: ["document": "\(name)"]
                    )
                    return name
                case .targetExists: continue
                case .sourceMissing: return nil
                }
            } catch {
                logger.error("cannot rename the input \(FileName.printable(escaped)), whose name is not UTF-8: \(error)")
                return nil
            }
        }
        return nil
    }

    /// Lists the inbox, entry by entry, until the intake is full: every name not yet known starts
    /// settling. When it stops early, ``wantsListing`` asks for the next listing once the workers
    /// have taken half of what is known.
    public func rescan() throws {
        state.withLock { $0.overflowed = false }
        var full = false
        try FileSystem.forEachEntry(of: inbox) { name, bytes in
            if state.withLock({ $0.known >= capacity }) {
                full = true
                return false
            }
            guard let name = name ?? repairName(bytes), InboxFilter.accepts(name) else { return true }
            if !state.withLock({ $0.isKnown(name) }) { track(name) }
            return true
        }
        if full { state.withLock { $0.overflowed = true } }
    }

    /// Whether files were left in the inbox by a listing that found the intake full, and the
    /// workers have since taken half of what it held: time to list the inbox again.
    public var wantsListing: Bool {
        state.withLock { Self.wantsListing($0, capacity: capacity) }
    }

    private static func wantsListing(_ state: State, capacity: Int) -> Bool {
        state.overflowed && state.known <= capacity / 2
    }

    /// Promotes settled files to ready; call periodically.
    public func tick() {
        let now = clock.now
        let settle = self.settle.withLock { $0 }
        let due = state.withLock { state in
            state.pending.filter { now - $0.value.lastChange >= settle }.map { ($0.key, $0.value) }
        }
        var settled: [String] = []
        for (name, candidate) in due {
            guard let status = FileSystem.status(inbox.appending(name)) else {
                state.withLock { _ = $0.pending.removeValue(forKey: name) }
                continue
            }
            if status.st_mode & S_IFMT == S_IFDIR {
                state.withLock { _ = $0.pending.removeValue(forKey: name) }
                continue
            }
            if status.st_size != candidate.size || status.st_mtim.tv_sec != candidate.modified.tv_sec
                || status.st_mtim.tv_nsec != candidate.modified.tv_nsec || Self.isOpenForWriting(inbox.appending(name))
            {
                state.withLock {
                    $0.pending[name] = Candidate(size: status.st_size, modified: status.st_mtim, lastChange: now)
                }
                continue
            }
            settled.append(name)
        }
        if !settled.isEmpty {
            state.withLock { state in
                for name in settled { state.pending.removeValue(forKey: name) }
            }
            enqueue(settled.sorted())
        }
    }

    /// Hands claims that must be processed again (left by a crash, or deferred) to the next free workers,
    /// before any new file.
    public func retry(_ claims: [ClaimedFile]) {
        guard !claims.isEmpty else { return }
        var handOff: [(CheckedContinuation<IntakeItem?, Never>, IntakeItem)] = []
        state.withLock { state in
            guard !state.closed else { return }
            state.retries.append(contentsOf: claims)
            while !state.waiters.isEmpty, let item = state.take() {
                handOff.append((state.waiters.removeFirst(), item))
            }
        }
        for (waiter, item) in handOff { waiter.resume(returning: item) }
    }

    /// The next piece of work: a complete inbox file's name or a claim to retry; `nil` once the intake is closed.
    public func next() async -> IntakeItem? {
        await withCheckedContinuation { (continuation: CheckedContinuation<IntakeItem?, Never>) in
            let (immediate, lister): (IntakeItem??, CheckedContinuation<Void, Never>?) = state.withLock { state in
                if let item = state.take() {
                    // The workers have drained half a full intake: wake the lister for more.
                    guard Self.wantsListing(state, capacity: capacity), let sleeper = state.sleeper else { return (.some(item), nil) }
                    state.sleeper = nil
                    return (.some(item), sleeper)
                }
                if state.closed { return (.some(nil), nil) }
                state.waiters.append(continuation)
                return (.none, nil)
            }
            lister?.resume()
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Whether ``close()`` was called: no more files are handed out.
    public var isClosed: Bool {
        state.withLock { $0.closed }
    }

    /// How many ``next()`` calls are waiting for work.
    var waitingWorkers: Int {
        state.withLock { $0.waiters.count }
    }

    /// Whether any file is settling: the supervisor then ticks often.
    var isSettling: Bool {
        state.withLock { !$0.pending.isEmpty }
    }

    /// Stops handing out files: waiting and future ``next()`` calls return `nil`.
    public func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// Waits until a file starts settling, the intake wants the inbox listed again, or `timeout`
    /// passes; returns at once while files are settling. The supervisor uses it to sleep while the
    /// inbox is quiet instead of polling.
    public func waitForSettlingFiles(timeout: Duration) async {
        if state.withLock({ !$0.pending.isEmpty || Self.wantsListing($0, capacity: capacity) }) { return }
        let deadline = clock.now + timeout
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await self.clock.sleep(until: deadline) }
            group.addTask { await self.waitForSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.sleeperCancelled || !state.pending.isEmpty || Self.wantsListing(state, capacity: capacity) {
                        state.sleeperCancelled = false
                        return true
                    }
                    state.sleeper = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                defer { state.sleeper = nil }
                if state.sleeper == nil { state.sleeperCancelled = true }
                return state.sleeper
            }
            sleeper?.resume()
        }
    }

    /// How many files are waiting: settling, ready, or to be retried; more may wait in the inbox
    /// unlisted when ``backlogBeyondCapacity`` is true.
    public var queued: Int {
        state.withLock { $0.known + $0.retries.count }
    }

    /// Whether the last listing stopped at ``capacity``, leaving files in the inbox not yet counted.
    public var backlogBeyondCapacity: Bool {
        state.withLock { $0.overflowed }
    }

    /// Starts or restarts the settle time of `name`. A name not yet known is left in the inbox for
    /// a later listing when the intake is full.
    private func track(_ name: String) {
        let status = FileSystem.status(inbox.appending(name))
        let now = clock.now
        let sleeper = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.readyNames.contains(name) else { return nil }
            if state.pending[name] == nil, state.known >= capacity {
                state.overflowed = true
                return nil
            }
            state.pending[name] = Candidate(
                size: status?.st_size ?? -1, modified: status?.st_mtim ?? timespec(), lastChange: now
            )
            defer { state.sleeper = nil }
            return state.sleeper
        }
        sleeper?.resume()
    }

    private func enqueue(_ names: [String]) {
        var handOff: [(CheckedContinuation<IntakeItem?, Never>, IntakeItem)] = []
        state.withLock { state in
            guard !state.closed else { return }
            for name in names {
                let wasPending = state.pending.removeValue(forKey: name) != nil
                guard !state.readyNames.contains(name) else { continue }
                if !wasPending, state.known >= capacity {
                    state.overflowed = true
                    continue
                }
                state.ready.append(name)
                state.readyNames.insert(name)
            }
            while !state.waiters.isEmpty, let item = state.take() {
                handOff.append((state.waiters.removeFirst(), item))
            }
        }
        for (waiter, item) in handOff { waiter.resume(returning: item) }
    }

    /// Whether another process has the file open for writing: a read lease cannot be taken then.
    /// Where leases are not permitted (not the owner, network file systems), the answer is "no".
    private static func isOpenForWriting(_ path: FilePath) -> Bool {
        let descriptor = open(path.string, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        if sift_set_lease(descriptor, sift_lease_read()) == 0 {
            _ = sift_set_lease(descriptor, sift_lease_none())
            return false
        }
        return errno == EAGAIN
    }
}

/// A clock reduced to what the intake needs: the time passed since the intake was made, and
/// sleeping until a point on that scale. It hides the clock's instant type, so that
/// ``Intake`` takes any `Clock<Duration>` without being generic itself.
struct IntakeClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    init(_ clock: any Clock<Duration>) {
        self.init(opening: clock)
    }

    private init<C: Clock<Duration>>(opening clock: C) {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleeper = { deadline in try await clock.sleep(until: start.advanced(by: deadline), tolerance: nil) }
    }

    /// The time passed since the clock was wrapped.
    var now: Duration { elapsed() }

    /// Sleeps until ``now`` reaches `deadline`; throws if the task is cancelled.
    func sleep(until deadline: Duration) async throws {
        try await sleeper(deadline)
    }

    /// Sleeps for `duration`; throws if the task is cancelled.
    func sleep(for duration: Duration) async throws {
        try await sleeper(now + duration)
    }
}
