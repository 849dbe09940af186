import Dispatch
import Synchronization

/// Runs work under a time limit that is kept even while every thread of Swift's cooperative pool
/// is busy with CPU-bound work.
///
/// A timer that is itself a task (`Task.sleep` in a task group) cannot fire while the pool's
/// threads are all computing: two workers on two cores each summarising a large document would
/// starve each other's timers, and every timeout would come late. Here the timer is a Dispatch
/// work item on a queue of its own, which Dispatch serves with a thread outside the pool (the
/// global queues share the pool's threads on Linux); when it fires it cancels the work, which
/// stops at its next cancellation check.
enum TimeLimit {
    private static let timers = DispatchQueue(label: "siftd.time-limit")

    /// How the work ended.
    enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
    }

    /// What the timer reaches: the work to cancel, dropped as soon as the work is done, so that
    /// nothing of a finished document stays alive until its deadline.
    private final class Target: Sendable {
        let state = Mutex<(task: Task<Void, Never>?, expired: Bool)>((nil, false))

        func expire() {
            let task = state.withLock { state -> Task<Void, Never>? in
                state.expired = true
                defer { state.task = nil }
                return state.task
            }
            task?.cancel()
        }

        func finish() -> Bool {
            state.withLock { state in
                state.task = nil
                return state.expired
            }
        }
    }

    /// Runs `operation`; `.timedOut` when the limit passed before it finished, whatever it returned
    /// or threw after its cancellation. Errors it throws in time are rethrown.
    static func run<Value: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Outcome<Value> {
        let result = Mutex<Result<Value, any Error>?>(nil)
        let task = Task {
            let outcome: Result<Value, any Error>
            do { outcome = .success(try await operation()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
        }
        let target = Target()
        target.state.withLock { $0.task = task }
        let timer = DispatchSource.makeTimerSource(queue: timers)
        let (seconds, attoseconds) = limit.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)))
        timer.setEventHandler { target.expire() }
        timer.resume()
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        // A cancelled source is removed from Dispatch's timers at once, with its handler.
        timer.cancel()
        if target.finish() { return .timedOut }
        guard let outcome = result.withLock({ $0 }) else { throw CancellationError() }
        return .finished(try outcome.get())
    }
}
