import Dispatch
import Synchronization

/// Runs work under a time limit that is kept even while every thread of Swift's cooperative pool
/// is busy with CPU-bound work.
///
/// A timer that is itself a task (`Task.sleep` in a task group) cannot fire while the pool's
/// threads are all computing: two workers on two cores each summarising a large document would
/// starve each other's timers, and every timeout would come late. Here the deadlines are watched
/// by one Dispatch timer source on a queue of its own, which Dispatch serves with a thread outside
/// the pool (the global queues share the pool's threads on Linux); when a deadline passes it
/// cancels the work, which stops at its next cancellation check.
enum TimeLimit {
    /// How the work ended.
    enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
    }

    /// What the timer reaches: the task doing the work, while the work runs (it registers and
    /// leaves itself under the lock, so the timer never reaches a task that has ended).
    final class Target: Sendable {
        /// A task's unsafe handle, kept only while the task is inside ``run(_:)``.
        struct Running: @unchecked Sendable {
            let task: UnsafeCurrentTask
        }

        let state = Mutex<(task: Running?, expired: Bool, cancelled: Bool)>((nil, false, false))

        /// The time ran out: the work is cancelled.
        func expire() {
            state.withLock { state in
                state.expired = true
                cancel(&state)
            }
        }

        /// The caller was cancelled: so is the work, now or when it starts.
        func cancel() {
            state.withLock { cancel(&$0) }
        }

        private func cancel(_ state: inout (task: Running?, expired: Bool, cancelled: Bool)) {
            state.cancelled = true
            // Only `cancel()`, which `Task` also has, may be called on another task's unsafe handle.
            state.task?.task.cancel()
        }

        /// Runs `body` as the work of the current task, which is cancelled when the target is.
        func run<Value>(_ body: () async throws -> Value) async throws -> Value {
            withUnsafeCurrentTask { task in
                state.withLock { state in
                    state.task = task.map(Running.init)
                    if state.cancelled { task?.cancel() }
                }
            }
            defer { state.withLock { $0.task = nil } }
            return try await body()
        }

        /// Whether the time had run out.
        func finish() -> Bool {
            state.withLock { $0.expired }
        }
    }

    static let watchdog = Watchdog()

    /// Runs `operation`; `.timedOut` when the limit passed before it finished, whatever it returned
    /// or threw after its cancellation. Errors it throws in time are rethrown.
    ///
    /// The work is a task of its own, so that its cancellation is not the caller's, started at
    /// once on the caller's thread: it runs there to its end unless it suspends, where a task
    /// started on the pool would have been handed to another thread and its end back again (a
    /// thread woken twice per stage of every document).
    static func run<Value: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Outcome<Value> {
        let target = Target()
        let watch = watchdog.watch(target, for: nanoseconds(limit))
        let result = await withTaskCancellationHandler {
            let task = Task.immediate { () -> Result<Value, any Error> in
                do { return .success(try await target.run(operation)) } catch { return .failure(error) }
            }
            return await task.value
        } onCancel: {
            target.cancel()
        }
        watchdog.release(watch)
        if target.finish() { return .timedOut }
        return .finished(try result.get())
    }

    /// A duration in nanoseconds, 0 when negative, `UInt64.max` when too long to count.
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let whole = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let total = whole.partialValue.addingReportingOverflow(UInt64(max(0, attoseconds) / 1_000_000_000))
        return whole.overflow || total.overflow ? .max : total.partialValue
    }

    /// The deadlines of the work running under a limit, watched by one timer: a timer source
    /// made, armed and cancelled for every stage of every document cost system calls and
    /// thread wake-ups on each. The timer is armed for the earliest deadline only when a new one
    /// comes before it; work that finishes in time just leaves the watch list, and a timer that
    /// fires for a deadline gone looks again and sleeps until the next.
    final class Watchdog: Sendable {
        private struct State: ~Copyable {
            var watched: [UInt64: (deadline: UInt64, target: Target)] = [:]
            var nextWatch: UInt64 = 0
            /// The uptime (ns) the timer is armed for; `.max` when it is not.
            var armed: UInt64 = .max
        }

        private let state = Mutex(State())
        /// Dispatch sources are safe to use from any thread; it is (re)armed under the lock.
        nonisolated(unsafe) private let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "siftd.time-limit"))

        init() {
            timer.setEventHandler { [weak self] in self?.expire() }
            timer.resume()
        }

        deinit { timer.cancel() }

        /// Starts watching `target`, which expires `nanoseconds` from now; the watch to release.
        func watch(_ target: Target, for nanoseconds: UInt64) -> UInt64 {
            let now = DispatchTime.now().uptimeNanoseconds
            let deadline = now.addingReportingOverflow(nanoseconds).overflow ? .max - 1 : now + nanoseconds
            return state.withLock { state in
                state.nextWatch += 1
                state.watched[state.nextWatch] = (deadline, target)
                if deadline < state.armed { arm(&state, at: deadline) }
                return state.nextWatch
            }
        }

        /// Stops watching (the work ended, in time or not).
        func release(_ watch: UInt64) {
            _ = state.withLock { $0.watched.removeValue(forKey: watch) }
        }

        /// The number of watches held (for tests).
        var watchCount: Int { state.withLock { $0.watched.count } }

        private func expire() {
            let now = DispatchTime.now().uptimeNanoseconds
            let expired = state.withLock { state -> [Target] in
                var expired: [Target] = []
                var next = UInt64.max
                for (watch, entry) in state.watched {
                    if entry.deadline <= now {
                        expired.append(entry.target)
                        state.watched.removeValue(forKey: watch)
                    } else {
                        next = min(next, entry.deadline)
                    }
                }
                state.armed = .max
                if next != .max { arm(&state, at: next) }
                return expired
            }
            for target in expired { target.expire() }
        }

        private func arm(_ state: inout State, at deadline: UInt64) {
            state.armed = deadline
            timer.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline), repeating: .never)
        }
    }
}
