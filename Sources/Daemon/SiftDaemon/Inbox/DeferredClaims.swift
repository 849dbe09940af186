import Synchronization

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
