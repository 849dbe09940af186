import CoreMetrics

/// The daemon's figures as swift-metrics metrics, named as Prometheus users expect
/// (`siftd_documents_total{outcome}`, `siftd_stage_duration_seconds{stage}`, …). Whichever backend
/// the executable bootstraps exports them; without one they cost next to nothing.
///
/// Label values come from bounded sets only (outcomes, configured stage names, stage statuses),
/// never from documents, so the number of series stays small whatever the daemon reads.
public struct DaemonMetrics: Sendable {
    private let factory: any MetricsFactory

    /// Metrics made by `factory`, by default the one the process bootstrapped.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Makes the counters that exist from the start, so that a scrape shows them at zero rather
    /// than not at all until their first event.
    func prepare() {
        for outcome in ["processed", "failed", "deferred"] {
            Counter(label: "siftd_documents_total", dimensions: [("outcome", outcome)], factory: factory).increment(by: 0)
        }
        Counter(label: "siftd_bytes_read_total", factory: factory).increment(by: 0)
        Counter(label: "siftd_journal_dropped_total", factory: factory).increment(by: 0)
        queue(pending: 0, claimed: 0)
    }

    /// A document ended: `outcome` is `processed`, `failed` or `deferred`.
    func documentFinished(_ outcome: DocumentOutcome, after duration: Duration) {
        let label: String
        switch outcome {
        case .succeeded: label = "processed"
        case .failed: label = "failed"
        case .deferred: label = "deferred"
        }
        Counter(label: "siftd_documents_total", dimensions: [("outcome", label)], factory: factory).increment()
        let (seconds, attoseconds) = duration.components
        Timer(label: "siftd_document_duration_seconds", factory: factory)
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// A stage ran on a document (or was skipped): its time, and an error counted by kind
    /// (`failed`, `timeout`, `skipped`) unless it went well.
    func stageFinished(_ report: ResultRecord.StageReport) {
        if report.status != "skipped" {
            Timer(label: "siftd_stage_duration_seconds", dimensions: [("stage", report.stage)], factory: factory)
                .recordNanoseconds(Int64(report.durationMS * 1_000_000))
        }
        if report.status != "ok" {
            Counter(label: "siftd_stage_errors_total", dimensions: [("stage", report.stage), ("kind", report.status)], factory: factory)
                .increment()
        }
    }

    /// An input was read.
    func bytesRead(_ count: Int) {
        Counter(label: "siftd_bytes_read_total", factory: factory).increment(by: count)
    }

    /// The current queue: files waiting in the inbox (settling or ready) and documents claimed.
    func queue(pending: Int, claimed: Int) {
        Gauge(label: "siftd_inbox_pending", factory: factory).record(pending)
        Gauge(label: "siftd_claimed", factory: factory).record(claimed)
    }
}
