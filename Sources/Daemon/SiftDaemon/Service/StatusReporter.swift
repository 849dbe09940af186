import Foundation
import Logging
import ServiceLifecycle
import SiftSystemd

/// Keeps systemd's status line and the instance's status file (``InstanceStatus``) current,
/// looking once a second, and while siftd stops (the intake closed, documents still in flight) asks
/// systemd for more time.
///
/// It keeps running until the workers have finished, which is why it is shut down after them.
struct StatusReporter: Service {
    let counters: ProcessingCounters
    let intake: Intake
    let runtimes: RuntimeHolder
    let notifier: SystemdNotifier
    let metrics: DaemonMetrics
    let layout: SpoolLayout
    let instance: String
    let started: Date
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown { await report() }
    }

    private func report() async {
        var line = StatusLine()
        var last = ""
        var lastState = ""
        var lastExtension: ContinuousClock.Instant?
        while !Task.isCancelled {
            let figures = counters.snapshot
            metrics.queue(pending: intake.queued, claimed: figures.inFlight)
            let text = line.render(figures, queued: intake.queued, more: intake.backlogBeyondCapacity)
            let state = intake.isClosed ? "stopping" : "running"
            // Written only when something changed: an idle daemon does no I/O.
            if text != last || state != lastState {
                if text != last { notifier.status(text) }
                writeStatus(state, figures, rate: line.rate)
                (last, lastState) = (text, state)
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

    /// Writes the status file; a failure is logged at debug level, never fatal.
    func writeStatus(_ state: String, _ figures: ProcessingCounters.Snapshot, rate: Double) {
        let now = Date()
        let status = InstanceStatus(
            state: state, instance: instance, pid: getpid(), version: SiftVersion.current, started: Timestamp.string(started),
            updated: Timestamp.string(now), processed: figures.processed, partial: figures.partial, failed: figures.failed,
            deferred: figures.deferred, inFlight: figures.inFlight, queued: intake.queued, queuedMore: intake.backlogBeyondCapacity,
            documentsPerSecond: (rate * 10).rounded() / 10, lastDocument: figures.lastDocument
        )
        do {
            try status.write(layout: layout)
        } catch {
            logger.debug("cannot write the status file: \(error)")
        }
    }
}
