import Synchronization

/// Live figures of the daemon: what was processed, failed and is in flight.
public final class ProcessingCounters: Sendable {
    /// A snapshot of the figures.
    public struct Snapshot: Sendable, Equatable {
        public var processed = 0
        public var failed = 0
        public var partial = 0
        public var deferred = 0
        public var inFlight = 0
        public var lastDocument: String?
        /// When the longest-running document in flight started.
        public var oldestInFlight: ContinuousClock.Instant?
    }

    private struct State {
        var snapshot = Snapshot()
        var inFlight: [String: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    private let metrics: DaemonMetrics

    /// Creates zeroed counters that also count into `metrics`.
    public init(metrics: DaemonMetrics = DaemonMetrics()) {
        self.metrics = metrics
    }

    func started(_ claim: ClaimedFile) {
        state.withLock { $0.inFlight[claim.documentID] = ContinuousClock.now }
    }

    func finished(_ claim: ClaimedFile, _ outcome: DocumentOutcome) {
        let started = state.withLock { state in
            defer { state.inFlight.removeValue(forKey: claim.documentID) }
            state.snapshot.lastDocument = FileName.printable(claim.name)
            switch outcome {
            case .succeeded(_, let partial, _):
                state.snapshot.processed += 1
                if partial { state.snapshot.partial += 1 }
            case .failed: state.snapshot.failed += 1
            case .deferred: state.snapshot.deferred += 1
            }
            return state.inFlight[claim.documentID]
        }
        metrics.documentFinished(outcome, after: started.map { ContinuousClock.now - $0 } ?? .zero)
    }

    /// The current figures.
    public var snapshot: Snapshot {
        state.withLock { state in
            var snapshot = state.snapshot
            snapshot.inFlight = state.inFlight.count
            snapshot.oldestInFlight = state.inFlight.values.min()
            return snapshot
        }
    }
}
