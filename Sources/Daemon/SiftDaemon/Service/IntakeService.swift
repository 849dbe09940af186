import Logging
import ServiceLifecycle
import SiftSystemd

/// Keeps the ``Intake`` fed: the inbox watcher's events, the periodic listing (a safety rescan
/// beside inotify, or the only source when polling), the ticks that promote settled files, and
/// deferred claims handed back after their backoff. All its waiting is on the intake's clock.
///
/// It owns the watcher. On graceful shutdown, or when it ends for any other reason, it closes
/// the intake, so that workers take no more files. It fails when the inbox directory is removed
/// or moved away, since nothing would arrive any more.
struct IntakeService: Service {
    /// How often files are looked at while some are settling.
    static let tick = Duration.milliseconds(20)

    let intake: Intake
    /// The inbox watcher; `nil` when polling.
    let watcher: InotifyWatcher?
    let deferred: DeferredClaims
    /// The time between two listings of the inbox, read before each wait since a reload may
    /// change it.
    let listingInterval: @Sendable () async -> Duration
    let logger: Logger

    func run() async throws {
        defer {
            intake.close()
            watcher?.stop()
        }
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                if let watcher {
                    group.addTask { try await follow(watcher) }
                }
                group.addTask { await listAndTick() }
                group.addTask { await retryDeferred() }
            }
        }
    }

    private func follow(_ watcher: InotifyWatcher) async throws {
        for await event in watcher.events {
            switch event {
            case .overflow:
                logger.log(.inboxOverflowRescan, .warning, "inbox overflow: events were lost, rescanning the inbox")
                try? intake.rescan()
            case .watchLost:
                logger.critical("the inbox directory was removed or moved; siftd cannot watch it any more")
                throw SiftError(.io, "the inbox directory was removed or moved; siftd cannot watch it any more")
            default:
                intake.note(event)
            }
        }
    }

    private func listAndTick() async {
        let clock = intake.clock
        // The first listing comes at once: what waited in the inbox before start-up. It runs here,
        // after READY, so that a large backlog never delays start-up.
        var lastListing: Duration?
        while !Task.isCancelled {
            let interval = await listingInterval()
            if let lastListing {
                // Sleep until the next listing or a new file; while files settle, look again every tick.
                await intake.waitForSettlingFiles(timeout: max(.zero, lastListing + interval - clock.now))
                if intake.isSettling {
                    try? await clock.sleep(for: Self.tick)
                }
            }
            if lastListing.map({ clock.now - $0 >= interval }) ?? true || intake.wantsListing {
                lastListing = clock.now
                do {
                    try intake.rescan()
                } catch {
                    logger.error("cannot list the inbox: \(error)")
                }
            }
            intake.tick()
        }
    }

    /// Hands deferred claims back to the workers after a backoff.
    private func retryDeferred() async {
        for await _ in deferred.additions {
            let limit = await listingInterval()
            try? await intake.clock.sleep(for: deferred.nextDelay(limit: max(limit, DeferredClaims.firstDelay)))
            if Task.isCancelled { return }
            let retries = deferred.takeAll()
            if !retries.isEmpty {
                logger.log(.documentsResumed, .notice, "retrying \(retries.count) document(s) whose results could not be written")
                intake.retry(retries)
            }
        }
    }
}
