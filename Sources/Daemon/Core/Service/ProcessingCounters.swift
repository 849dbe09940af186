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
    }

    private let state = Mutex(Snapshot())

    /// Creates zeroed counters.
    public init() {}

    func started() {
        state.withLock { $0.inFlight += 1 }
    }

    func finished(_ name: String, _ outcome: DocumentOutcome) {
        state.withLock { state in
            state.inFlight -= 1
            state.lastDocument = name
            switch outcome {
            case .succeeded(_, let partial, _):
                state.processed += 1
                if partial { state.partial += 1 }
            case .failed: state.failed += 1
            case .deferred: state.deferred += 1
            }
        }
    }

    /// The current figures.
    public var snapshot: Snapshot { state.withLock { $0 } }
}
