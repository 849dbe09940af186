import Logging
import ServiceLifecycle
import SiftSystemd

/// Pings systemd's watchdog while the pipeline is healthy: no document has been in flight
/// longer than its ingestion and all its stages' timeouts together (plus a margin).
///
/// A stuck worker (a plugin that ignores cancellation), or a stopped or starved process, stops
/// the pings, and systemd restarts the service; the document it was stuck on is then retried
/// alone and, stuck again, quarantined (``CrashQuarantine``). It keeps pinging while the workers
/// finish their documents at shutdown, which is why it is shut down after them.
struct Watchdog: Service {
    /// The time between two pings: half the interval systemd expects them within.
    let interval: Duration
    let counters: ProcessingCounters
    let runtimes: RuntimeHolder
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown { await ping() }
    }

    private func ping() async {
        var reportedHang = false
        while !Task.isCancelled {
            let configuration = await runtimes.configuration
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
