import Foundation
import Logging
import ServiceLifecycle
import SiftPluginAPI
public import SiftSystemd
import SystemPackage
import UnixSignals

/// The daemon: watches the inbox and runs every complete file through the pipeline.
///
/// On graceful shutdown (SIGTERM, SIGINT) it stops taking files, lets the documents in flight
/// finish, and returns. On SIGHUP it reloads the configuration, validating it first; an invalid
/// one is logged and the running configuration kept.
///
/// It starts up (spool, instance lock, pipeline, crash recovery) and then runs its parts as
/// services of a group of its own, as an application nests its server: the watchdog, the status
/// line, reloading, the workers and the intake. The group stops them in the reverse order: the
/// intake first, so no file is taken any more, then the workers once their documents are done,
/// and the reporting to systemd last. A part that fails stops the others the same way, and
/// ``run()`` then throws its error.
public final class SiftService: Service, Sendable {
    /// Loads the configuration again on reload.
    public typealias ConfigurationSource = @Sendable () async throws -> SiftConfiguration

    private let initial: SiftConfiguration
    private let source: ConfigurationSource
    private let registry: PluginRegistry
    private let logger: Logger
    /// Live figures, for status reporting.
    public let counters: ProcessingCounters
    /// The figures as metrics, for whichever backend the process bootstrapped.
    let metrics: DaemonMetrics
    private let notifier: SystemdNotifier
    /// The signals that ask for a reload.
    private let reloadSignals: [UnixSignal]
    private let reloadRequests: AsyncStream<Void>
    private let reloadRequest: AsyncStream<Void>.Continuation

    /// Creates the service from an already loaded configuration.
    public convenience init(
        configuration: SiftConfiguration, registry: PluginRegistry, logger: Logger,
        notifier: SystemdNotifier = SystemdNotifier(), metrics: DaemonMetrics = DaemonMetrics(),
        reload source: @escaping ConfigurationSource
    ) {
        self.init(
            configuration: configuration, registry: registry, logger: logger, notifier: notifier, metrics: metrics,
            reloadSignals: [.sighup], reload: source)
    }

    /// Creates the service; `reloadSignals` are the signals that ask for a reload (none for a
    /// service in a test process, which must not trap the process's signals).
    init(
        configuration: SiftConfiguration, registry: PluginRegistry, logger: Logger,
        notifier: SystemdNotifier, metrics: DaemonMetrics = DaemonMetrics(), reloadSignals: [UnixSignal],
        reload source: @escaping ConfigurationSource
    ) {
        initial = configuration
        self.metrics = metrics
        counters = ProcessingCounters(metrics: metrics)
        self.source = source
        self.registry = registry
        self.logger = logger
        self.notifier = notifier
        self.reloadSignals = reloadSignals
        (reloadRequests, reloadRequest) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the running service to reload its configuration, as SIGHUP does.
    func requestReload() {
        reloadRequest.yield()
    }

    /// Starts up and runs until graceful shutdown, then returns once the documents in flight are
    /// done; throws when start-up fails (an invalid pipeline, a locked instance) or a part fails.
    public func run() async throws {
        let configuration = initial
        var configuredLogger = self.logger
        configuredLogger.logLevel = configuration.logLevel
        configuredLogger[metadataKey: "instance"] = "\(configuration.instance)"
        let logger = configuredLogger
        try configuration.layout.prepare(instance: configuration.instance)
        let lock = try InstanceLock(layout: configuration.layout, instance: configuration.instance)
        defer { withExtendedLifetime(lock) {} }
        let spool = Spool(layout: configuration.layout, instance: configuration.instance)
        let runtimes = RuntimeHolder(
            try await Self.makeRuntime(configuration, registry: registry, spool: spool, logger: logger, metrics: metrics))
        do {
            try await run(configuration, spool: spool, runtimes: runtimes, logger: logger)
        } catch {
            await runtimes.shutdown()
            throw error
        }
        await runtimes.shutdown()
        let figures = counters.snapshot
        logger.log(.daemonStopped, .notice, "siftd stopped", metadata: ["processed": "\(figures.processed)", "failed": "\(figures.failed)"])
    }

    /// Recovers what a previous run left, then runs the parts until they stop.
    private func run(_ configuration: SiftConfiguration, spool: Spool, runtimes: RuntimeHolder, logger: Logger) async throws {
        metrics.prepare()
        let intake = Intake(
            inbox: configuration.layout.inbox, settle: configuration.settle, capacity: configuration.maxQueued, logger: logger)
        let watcher = configuration.watchMode == .inotify ? try InotifyWatcher(directory: configuration.layout.inbox) : nil
        let quarantine = try CrashQuarantine(instanceDirectory: configuration.layout.instanceDirectory(configuration.instance))
        let recovered = try quarantine.recover(try spool.recoverClaims())
        let resumed = recovered.others.count + recovered.suspects.count
        if resumed > 0 {
            let suspects =
                recovered.suspects.isEmpty
                ? "" : "; \(recovered.suspects.count) in flight when siftd died, retried alone first"
            logger.log(.documentsResumed, .notice, "resuming \(resumed) document(s) claimed before an interruption\(suspects)")
        }
        for claim in recovered.quarantined {
            let (runtime, generation) = await runtimes.checkout()
            counters.finished(claim, runtime.workflow.quarantine(claim))
            await runtimes.checkin(generation)
        }
        logger.log(
            .daemonStarted, .notice, "siftd started",
            metadata: [
                "inbox": "\(configuration.layout.inbox)", "outbox": "\(configuration.layout.outbox)",
                "workers": "\(configuration.workers)", "watch": "\(configuration.watchMode.rawValue)",
                "pipeline": "\(configuration.stages.map(\.name).joined(separator: ","))",
            ]
        )
        // Leftover claims first, spread over the workers.
        intake.retry(recovered.others)
        let deferred = DeferredClaims()
        // Trapped before systemd hears that siftd is ready, so that no reload asked for after
        // that is lost.
        let hangups = await UnixSignalsSequence(trapping: reloadSignals)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        func add(_ service: some Service, _ name: String) {
            // A part that fails lets the others stop gracefully (documents in flight finish), then
            // the group throws its error. One that returns unasked ends the group with an error naming it.
            services.append(.init(service: service, failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: name))
        }
        if let interval = notifier.watchdogInterval {
            add(Watchdog(interval: interval / 2, counters: counters, runtimes: runtimes, notifier: notifier, logger: logger), "watchdog")
        }
        let statusReporter = StatusReporter(
            counters: counters, intake: intake, runtimes: runtimes, notifier: notifier, metrics: metrics, layout: configuration.layout,
            instance: configuration.instance, started: Date(), logger: logger)
        add(statusReporter, "status")
        add(
            ReloadService(
                requests: reloadRequests, request: reloadRequest, signals: hangups, source: source, registry: registry,
                runtimes: runtimes, intake: intake, spool: spool, notifier: notifier, metrics: metrics, logger: logger,
                pipelineLogger: self.logger.with(instance: configuration.instance)
            ),
            "reload"
        )
        add(
            WorkerPool(
                workers: configuration.workers, intake: intake, spool: spool, runtimes: runtimes, quarantine: quarantine,
                deferred: deferred, counters: counters, suspects: recovered.suspects, logger: logger
            ),
            "workers"
        )
        add(
            IntakeService(
                intake: intake, watcher: watcher, deferred: deferred,
                listingInterval: { await runtimes.configuration.listingInterval }, logger: logger
            ),
            "intake"
        )
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))

        notifier.ready(status: "ready: watching \(configuration.layout.inbox)")
        logger.log(.daemonReady, .notice, "siftd ready", metadata: ["inbox": "\(configuration.layout.inbox)"])
        try await withGracefulShutdownHandler {
            try await group.run()
        } onGracefulShutdown: {
            // The group stops the intake too, a moment later; closing it here takes no file after the signal.
            intake.close()
            let inFlight = self.counters.snapshot.inFlight
            self.notifier.stopping(status: "stopping: finishing \(inFlight) document(s) in flight")
            logger.log(.daemonStopping, .notice, "stopping: no new files are taken; finishing \(inFlight) document(s) in flight")
        }
        // Reached after a clean stop only: the last status says so.
        statusReporter.writeStatus("stopped", counters.snapshot, rate: 0)
    }

    /// Builds a runtime; also used by `check-config` and `process`.
    public static func makeRuntime(
        _ configuration: SiftConfiguration, registry: PluginRegistry, spool: Spool, logger: Logger, metrics: DaemonMetrics = DaemonMetrics()
    ) async throws -> Runtime {
        var logger = logger
        logger.logLevel = configuration.logLevel
        let pipeline = try await PipelineBuilder(registry: registry, logger: logger).build(configuration.stages)
        let workflow = DocumentWorkflow(
            spool: spool, ingestor: DocumentIngestor(limits: configuration.ingestionLimits),
            deleteProcessed: configuration.deleteProcessed, logger: logger, ingestTimeout: configuration.ingestTimeout,
            resultFormat: configuration.resultFormat, metrics: metrics
        )
        return Runtime(configuration: configuration, pipeline: pipeline, workflow: workflow)
    }
}

extension SiftConfiguration {
    /// The time between two full listings of the inbox: the poll interval when polling, else the
    /// safety rescan interval.
    var listingInterval: Duration {
        watchMode == .polling ? pollInterval : rescanInterval
    }
}

extension Logger {
    func with(instance: String) -> Logger {
        var copy = self
        copy[metadataKey: "instance"] = "\(instance)"
        return copy
    }
}
