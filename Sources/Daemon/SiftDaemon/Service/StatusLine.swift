import Foundation

/// The one-line status `systemctl status siftd` shows, with a documents-per-second rate over
/// the last ten seconds.
struct StatusLine {
    private var samples: [(ContinuousClock.Instant, Int)] = []
    private let window: Duration = .seconds(10)
    /// Documents finished per second over the window, as of the last ``render(_:queued:more:now:)``.
    private(set) var rate = 0.0

    /// The status for the current figures; `queued` counts files waiting in the inbox, and
    /// `more` says that the inbox holds more than that, not yet listed ("queued 8192+").
    mutating func render(
        _ figures: ProcessingCounters.Snapshot, queued: Int, more: Bool = false, now: ContinuousClock.Instant = .now
    ) -> String {
        let done = figures.processed + figures.failed
        samples.append((now, done))
        samples.removeAll { now - $0.0 > window }
        rate = 0
        if let first = samples.first, now - first.0 > .milliseconds(500) {
            let elapsed = Double((now - first.0).components.seconds) + Double((now - first.0).components.attoseconds) / 1e18
            rate = Double(done - first.1) / elapsed
        }
        var parts = [
            "processed \(figures.processed)", "failed \(figures.failed)", "queued \(queued)\(more ? "+" : "")",
            "in flight \(figures.inFlight)", String(format: "%.1f documents/s", rate),
        ]
        if figures.partial > 0 { parts.insert("partial \(figures.partial)", at: 1) }
        if let last = figures.lastDocument { parts.append("last \(last)") }
        return parts.joined(separator: ", ")
    }
}
