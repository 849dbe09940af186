import Foundation
import Synchronization
import Logging
import ServiceLifecycle
import SiftPluginAPI
import SystemPackage
import UnixSignals

/// The daemon: watches the inbox and runs every complete file through the pipeline.
///
/// On graceful shutdown (SIGTERM, SIGINT) it stops taking files, lets the documents in flight
/// finish, and returns. On SIGHUP it reloads the configuration, validating it first; an invalid
/// one is logged and the running configuration kept.
public final class SiftService: Service, Sendable {
    /// Loads the configuration again on reload.
    public typealias ConfigurationSource = @Sendable () async throws -> SiftConfiguration

    private let initial: SiftConfiguration
    private let source: ConfigurationSource
    private let registry: PluginRegistry
    private let logger: Logger
    /// Live figures, for status reporting.
    public let counters = ProcessingCounters()
    private let notifier: SystemdNotifier
    private let stopping = Mutex(false)

    /// Creates the service from an already loaded configuration.
    public init(
        configuration: SiftConfiguration, registry: PluginRegistry, logger: Logger,
        notifier: SystemdNotifier = SystemdNotifier(), reload source: @escaping ConfigurationSource
    ) {
        initial = configuration
        self.source = source
        self.registry = registry
        self.logger = logger
        self.notifier = notifier
    }

    public func run() async throws {
        let configuration = initial
        var configuredLogger = self.logger
        configuredLogger.logLevel = configuration.logLevel
        configuredLogger[metadataKey: "instance"] = "\(configuration.instance)"
        let logger = configuredLogger
        try configuration.layout.prepare(instance: configuration.instance)
        let lock = try InstanceLock(layout: configuration.layout, instance: configuration.instance)
        let spool = Spool(layout: configuration.layout, instance: configuration.instance)
        let holder = RuntimeHolder(try await Self.makeRuntime(configuration, registry: registry, spool: spool, logger: logger))
        let intake = Intake(inbox: configuration.layout.inbox, settle: configuration.settle, logger: logger)
        let watcher = configuration.watchMode == .inotify ? try InotifyWatcher(directory: configuration.layout.inbox) : nil
        let quarantine = try CrashQuarantine(instanceDirectory: configuration.layout.instanceDirectory(configuration.instance))
        let recovered = try quarantine.recover(try spool.recoverClaims())
        let resumed = recovered.others.count + recovered.suspects.count
        if resumed > 0 {
            let suspects = recovered.suspects.isEmpty
                ? "" : "; \(recovered.suspects.count) in flight when siftd died, retried alone first"
            logger.log(.documentsResumed, .notice, "resuming \(resumed) document(s) claimed before an interruption\(suspects)")
        }
        for claim in recovered.quarantined {
            let (runtime, generation) = await holder.checkout()
            counters.finished(claim, runtime.workflow.quarantine(claim))
            await holder.checkin(generation)
        }
        try intake.rescan()
        logger.log(
            .daemonStarted, .notice, "siftd started",
            metadata: [
                "inbox": "\(configuration.layout.inbox)", "outbox": "\(configuration.layout.outbox)",
                "workers": "\(configuration.workers)", "watch": "\(configuration.watchMode.rawValue)",
                "pipeline": "\(configuration.stages.map(\.name).joined(separator: ","))",
            ]
        )

        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                // Leftover claims first, spread over the workers.
                intake.retry(recovered.others)
                let deferred = DeferredClaims()
                group.addTask {
                    await self.superviseIntake(intake: intake, watcher: watcher, holder: holder, deferred: deferred, logger: logger)
                }
                group.addTask {
                    await self.handleReloads(holder: holder, intake: intake, spool: spool, logger: logger)
                }
                group.addTask {
                    await self.retryDeferred(deferred, intake: intake, holder: holder, logger: logger)
                }
                group.addTask {
                    await self.reportStatus(intake: intake, holder: holder, logger: logger)
                }
                if let interval = notifier.watchdogInterval {
                    group.addTask {
                        await self.feedWatchdog(every: interval / 2, holder: holder, logger: logger)
                    }
                }
                notifier.ready(status: "ready: watching \(configuration.layout.inbox)")
                logger.log(.daemonReady, .notice, "siftd ready", metadata: ["inbox": "\(configuration.layout.inbox)"])
                // Documents in flight when siftd died run one at a time before anything else, so
                // that one that kills the process again is known for certain.
                for suspect in recovered.suspects where !self.stopping.withLock({ $0 }) {
                    await self.process(suspect, slot: 0, alone: true, quarantine: quarantine, holder: holder, deferred: deferred)
                }
                for slot in 0..<configuration.workers {
                    group.addTask {
                        await self.work(slot: slot, intake: intake, spool: spool, holder: holder, deferred: deferred, quarantine: quarantine)
                    }
                }
                // Workers end when the intake closes; then stop the helper tasks.
                var remainingWorkers = configuration.workers
                while remainingWorkers > 0, await group.next() != nil {
                    remainingWorkers -= 1
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            intake.close()
            let inFlight = self.counters.snapshot.inFlight
            self.notifier.stopping(status: "stopping: finishing \(inFlight) document(s) in flight")
            logger.log(.daemonStopping, .notice, "stopping: no new files are taken; finishing \(inFlight) document(s) in flight")
        }
        watcher?.stop()
        await holder.shutdown()
        withExtendedLifetime(lock) {}
        let figures = counters.snapshot
        logger.log(.daemonStopped, .notice, "siftd stopped", metadata: ["processed": "\(figures.processed)", "failed": "\(figures.failed)"])
    }

    /// Builds a runtime; also used by `check-config` and `process`.
    public static func makeRuntime(_ configuration: SiftConfiguration, registry: PluginRegistry, spool: Spool, logger: Logger) async throws -> Runtime {
        var logger = logger
        logger.logLevel = configuration.logLevel
        let pipeline = try await PipelineBuilder(registry: registry, logger: logger).build(configuration.stages)
        let workflow = DocumentWorkflow(
            spool: spool, ingestor: DocumentIngestor(limits: configuration.ingestionLimits),
            deleteProcessed: configuration.deleteProcessed, logger: logger, ingestTimeout: configuration.ingestTimeout
        )
        return Runtime(configuration: configuration, pipeline: pipeline, workflow: workflow)
    }

    private func work(slot: Int, intake: Intake, spool: Spool, holder: RuntimeHolder, deferred: DeferredClaims, quarantine: CrashQuarantine) async {
        while let item = await intake.next() {
            let claim: ClaimedFile
            switch item {
            case .claim(let leftover):
                claim = leftover
            case .inbox(let name):
                do {
                    guard let claimed = try spool.claim(name) else { continue }
                    claim = claimed
                } catch {
                    logger.error("cannot claim \(FileName.printable(name)): \(error)", metadata: ["document": "\(name)"])
                    continue
                }
            }
            await process(claim, slot: slot, alone: false, quarantine: quarantine, holder: holder, deferred: deferred)
        }
    }

    private func process(
        _ claim: ClaimedFile, slot: Int, alone: Bool, quarantine: CrashQuarantine, holder: RuntimeHolder, deferred: DeferredClaims
    ) async {
        counters.started(claim)
        quarantine.begin(slot: slot, documentID: claim.documentID, alone: alone)
        let (runtime, generation) = await holder.checkout()
        let outcome = await runtime.workflow.process(claim, with: runtime.pipeline)
        await holder.checkin(generation)
        quarantine.end(slot: slot)
        counters.finished(claim, outcome)
        switch outcome {
        case .deferred: deferred.add(claim)
        case .succeeded: deferred.noteSuccess()
        case .failed: break
        }
    }

    private func superviseIntake(
        intake: Intake, watcher: InotifyWatcher?, holder: RuntimeHolder, deferred: DeferredClaims, logger: Logger
    ) async {
        await withTaskGroup(of: Void.self) { group in
            if let watcher {
                group.addTask {
                    for await event in watcher.events {
                        switch event {
                        case .overflow:
                            logger.log(.inboxOverflowRescan, .warning, "inbox overflow: events were lost, rescanning the inbox")
                            try? intake.rescan()
                        case .watchLost:
                            logger.critical("the inbox directory was removed or moved; siftd cannot watch it any more")
                            intake.close()
                        default:
                            intake.note(event)
                        }
                    }
                }
            }
            group.addTask {
                let clock = ContinuousClock()
                var lastScan = clock.now
                while !Task.isCancelled {
                    let configuration = await holder.configuration
                    let interval = configuration.watchMode == .polling ? configuration.pollInterval : configuration.rescanInterval
                    // Tick often while files settle; otherwise sleep until the next listing or a new file.
                    await intake.waitForSettlingFiles(timeout: max(.zero, lastScan + interval - clock.now))
                    try? await Task.sleep(for: .milliseconds(20))
                    if clock.now - lastScan >= interval {
                        lastScan = clock.now
                        do {
                            try intake.rescan()
                        } catch {
                            logger.error("cannot list the inbox: \(error)")
                        }
                    }
                    intake.tick()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func handleReloads(holder: RuntimeHolder, intake: Intake, spool: Spool, logger: Logger) async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            logger.notice("reloading the configuration")
            notifier.reloading()
            do {
                let configuration = try await source()
                let previous = await holder.configuration
                var ignored: [String] = []
                if configuration.layout != previous.layout { ignored.append("spool directories") }
                if configuration.instance != previous.instance { ignored.append("instance") }
                if configuration.workers != previous.workers { ignored.append("workers") }
                if configuration.watchMode != previous.watchMode { ignored.append("watch") }
                var applied = configuration
                applied.layout = previous.layout
                applied.instance = previous.instance
                applied.workers = previous.workers
                applied.watchMode = previous.watchMode
                let runtime = try await Self.makeRuntime(applied, registry: registry, spool: spool, logger: self.logger.with(instance: previous.instance))
                await holder.replace(with: runtime)
                intake.setSettle(applied.settle)
                if !ignored.isEmpty {
                    logger.warning("changes to \(ignored.joined(separator: ", ")) take effect only after a restart")
                }
                logger.log(
                    .configurationReloaded, .notice, "configuration reloaded",
                    metadata: ["pipeline": "\(applied.stages.map(\.name).joined(separator: ","))"]
                )
                notifier.ready(status: "configuration reloaded")
            } catch {
                logger.log(.configurationRejected, .error, "configuration rejected, keeping the running one: \(error)")
                notifier.ready(status: "configuration rejected, running the previous one: \(error)")
            }
        }
    }
}

extension SiftService {
    /// Hands deferred claims back to the workers after a backoff.
    private func retryDeferred(_ deferred: DeferredClaims, intake: Intake, holder: RuntimeHolder, logger: Logger) async {
        for await _ in deferred.additions {
            let configuration = await holder.configuration
            let limit = configuration.watchMode == .polling ? configuration.pollInterval : configuration.rescanInterval
            try? await Task.sleep(for: deferred.nextDelay(limit: max(limit, DeferredClaims.firstDelay)))
            if Task.isCancelled { return }
            let retries = deferred.takeAll()
            if !retries.isEmpty {
                logger.log(.documentsResumed, .notice, "retrying \(retries.count) document(s) whose results could not be written")
                intake.retry(retries)
            }
        }
    }

    /// Updates systemd's status line at most once a second, and asks for more time while stopping.
    private func reportStatus(intake: Intake, holder: RuntimeHolder, logger: Logger) async {
        var line = StatusLine()
        var last = ""
        var lastExtension = ContinuousClock.now - .seconds(3600)
        while !Task.isCancelled {
            let figures = counters.snapshot
            let text = line.render(figures, queued: intake.queued)
            if text != last {
                notifier.status(text)
                last = text
            }
            if stopping.withLock({ $0 }), figures.inFlight > 0, ContinuousClock.now - lastExtension > .seconds(5) {
                // A document in flight may take up to the sum of its stages' timeouts.
                let configuration = await holder.configuration
                let bound = configuration.stages.reduce(Duration.seconds(10) + configuration.ingestTimeout) { $0 + $1.timeout }
                notifier.extendTimeout(bound)
                lastExtension = .now
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Pings systemd's watchdog while the pipeline is healthy: no document has been in flight
    /// longer than its ingestion and all its stages' timeouts together (plus a margin). A stuck
    /// worker (a plugin that ignores cancellation), or a stopped or starved process, stops the
    /// pings, and systemd restarts the service; the document it was stuck on is then retried
    /// alone and, stuck again, quarantined (``CrashQuarantine``).
    private func feedWatchdog(every interval: Duration, holder: RuntimeHolder, logger: Logger) async {
        var reportedHang = false
        while !Task.isCancelled {
            let configuration = await holder.configuration
            let limit = configuration.stages.reduce(Duration.seconds(30) + configuration.ingestTimeout) { $0 + $1.timeout }
            if let oldest = counters.snapshot.oldestInFlight, ContinuousClock.now - oldest > limit {
                if !reportedHang {
                    logger.critical("the pipeline is hung: a document has been in flight longer than \(limit); watchdog pings stop")
                    reportedHang = true
                }
            } else {
                notifier.watchdog()
                reportedHang = false
            }
            try? await Task.sleep(for: interval)
        }
    }
}

/// Claims whose results could not be written (a full disk, an I/O error, a missing outbox),
/// retried after a short backoff: a second, doubling up to the rescan interval, back to a second
/// once a document succeeds.
final class DeferredClaims: Sendable {
    private struct State {
        var claims: [ClaimedFile] = []
        var delay = DeferredClaims.firstDelay
    }

    static let firstDelay = Duration.seconds(1)
    private let state = Mutex(State())
    private let signal: AsyncStream<Void>.Continuation
    /// Yields when claims were added.
    let additions: AsyncStream<Void>

    init() {
        (additions, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func add(_ claim: ClaimedFile) {
        state.withLock { $0.claims.append(claim) }
        signal.yield()
    }

    /// A document succeeded: the spool is writable again, so the next retry comes soon.
    func noteSuccess() {
        state.withLock { $0.delay = Self.firstDelay }
    }

    /// The delay before the next retry; each call doubles the following one, up to `limit`.
    func nextDelay(limit: Duration) -> Duration {
        state.withLock { state in
            let delay = min(state.delay, limit)
            state.delay = min(state.delay * 2, limit)
            return delay
        }
    }

    func takeAll() -> [ClaimedFile] {
        state.withLock { state in
            defer { state.claims.removeAll() }
            return state.claims
        }
    }
}

extension Logger {
    func with(instance: String) -> Logger {
        var copy = self
        copy[metadataKey: "instance"] = "\(instance)"
        return copy
    }
}
