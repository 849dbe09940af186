import ServiceLifecycle
import SiftSystemd

/// Keeps systemd's status line current, at most once a second, and while siftd stops (the
/// intake closed, documents still in flight) asks systemd for more time.
///
/// It keeps running until the workers have finished, which is why it is shut down after them.
struct StatusReporter: Service {
    let counters: ProcessingCounters
    let intake: Intake
    let runtimes: RuntimeHolder
    let notifier: SystemdNotifier
    let metrics: DaemonMetrics

    func run() async {
        await cancelWhenGracefulShutdown { await report() }
    }

    private func report() async {
        var line = StatusLine()
        var last = ""
        var lastExtension: ContinuousClock.Instant?
        while !Task.isCancelled {
            let figures = counters.snapshot
            metrics.queue(pending: intake.queued, claimed: figures.inFlight)
            let text = line.render(figures, queued: intake.queued, more: intake.backlogBeyondCapacity)
            if text != last {
                notifier.status(text)
                last = text
            }
            if intake.isClosed, figures.inFlight > 0, lastExtension.map({ .now - $0 > .seconds(5) }) ?? true {
                // A document in flight may take up to the sum of its stages' timeouts.
                let configuration = await runtimes.configuration
                let bound = configuration.stages.reduce(Duration.seconds(10) + configuration.ingestTimeout) { $0 + $1.timeout }
                notifier.extendTimeout(bound)
                lastExtension = .now
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
