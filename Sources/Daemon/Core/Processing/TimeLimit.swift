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

    private final class Expiry: Sendable {
        let expired = Mutex(false)
    }

    /// Runs `operation`; `.timedOut` when the limit passed before it finished, whatever it returned
    /// or threw after its cancellation. Errors it throws in time are rethrown.
    static func run<Value: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Outcome<Value> {
        let task = Task { try await operation() }
        let expiry = Expiry()
        let timer = DispatchWorkItem {
            expiry.expired.withLock { $0 = true }
            task.cancel()
        }
        let (seconds, attoseconds) = limit.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        timers.asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)), execute: timer)
        defer { timer.cancel() }
        let result = await withTaskCancellationHandler {
            await task.result
        } onCancel: {
            task.cancel()
        }
        if expiry.expired.withLock({ $0 }) { return .timedOut }
        return .finished(try result.get())
    }
}
