import Logging
import ServiceLifecycle
import SiftPluginAPI
import SiftSystemd
import UnixSignals

/// Reloads the configuration on SIGHUP, or when ``SiftService`` is asked to.
///
/// A new configuration is validated by building its pipeline before it replaces the running
/// one; an invalid one is logged and the running one kept. Documents in flight finish with the
/// pipeline they started with. Spool directories, instance, workers and watch mode apply only
/// after a restart. A reload under way when graceful shutdown begins is completed.
struct ReloadService: Service {
    /// One element per reload asked for; repeated requests during a reload make one more.
    let requests: AsyncStream<Void>
    /// Where the signals below are turned into requests.
    let request: AsyncStream<Void>.Continuation
    /// The signals that ask for a reload, trapped before the service was made ready.
    let signals: UnixSignalsSequence
    let source: SiftService.ConfigurationSource
    let registry: PluginRegistry
    let runtimes: RuntimeHolder
    let intake: Intake
    let spool: Spool
    let notifier: SystemdNotifier
    let metrics: DaemonMetrics
    let logger: Logger
    /// The logger pipelines are built with: without the running configuration's level.
    let pipelineLogger: Logger

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in signals { request.yield() }
            }
            for await _ in requests.cancelOnGracefulShutdown() {
                await reload()
            }
            group.cancelAll()
        }
    }

    private func reload() async {
        logger.notice("reloading the configuration")
        notifier.reloading()
        do {
            let configuration = try await source()
            let previous = await runtimes.configuration
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
            let runtime = try await SiftService.makeRuntime(applied, registry: registry, spool: spool, logger: pipelineLogger, metrics: metrics)
            await runtimes.replace(with: runtime)
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
