import Dispatch
import Synchronization

/// Runs work under a time limit that is kept even while every thread of Swift's cooperative pool
/// is busy with CPU-bound work.
///
/// A timer that is itself a task (`Task.sleep` in a task group) cannot fire while the pool's
/// threads are all computing: two workers on two cores each summarising a large document would
/// starve each other's timers, and every timeout would come late. Here the timer is a Dispatch
/// timer source on a queue of its own, which Dispatch serves with a thread outside the pool (the
/// global queues share the pool's threads on Linux); when it fires it cancels the work, which
/// stops at its next cancellation check.
enum TimeLimit {
    private static let timers = DispatchQueue(label: "siftd.time-limit")

    /// How the work ended.
    enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
    }

    /// What the timer reaches: a way to cancel the work, dropped as soon as the work is done, so
    /// that nothing of a finished document stays alive until its deadline.
    private final class Target: Sendable {
        let state = Mutex<(cancel: (@Sendable () -> Void)?, expired: Bool)>((nil, false))

        func expire() {
            let cancel = state.withLock { state in
                state.expired = true
                defer { state.cancel = nil }
                return state.cancel
            }
            cancel?()
        }

        /// Drops the work; whether the time had run out.
        func finish() -> Bool {
            state.withLock { state in
                state.cancel = nil
                return state.expired
            }
        }
    }

    /// Runs `operation`; `.timedOut` when the limit passed before it finished, whatever it returned
    /// or threw after its cancellation. Errors it throws in time are rethrown.
    static func run<Value: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Outcome<Value> {
        let task = Task { () -> Result<Value, any Error> in
            do { return .success(try await operation()) } catch { return .failure(error) }
        }
        let target = Target()
        target.state.withLock { $0.cancel = { task.cancel() } }
        let timer = DispatchSource.makeTimerSource(queue: timers)
        let (seconds, attoseconds) = limit.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)))
        timer.setEventHandler { target.expire() }
        timer.resume()
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        // A cancelled source is removed from Dispatch's timers at once, with its handler.
        timer.cancel()
        if target.finish() { return .timedOut }
        return .finished(try result.get())
    }
}
