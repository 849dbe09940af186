import CSystemd
import Collections
import CoreMetrics
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Sends entries to the systemd journal from one background thread.
///
/// Callers only append to a bounded queue, so a slow or absent journal never blocks or fails
/// document processing; when the queue is full, entries are dropped and counted, and the count
/// is reported once the journal keeps up again.
public final class JournalWriter: @unchecked Sendable {  // state guarded by `condition`
    /// The writer every journal log handler of the process shares.
    public static let shared = JournalWriter(capacity: 16_384)

    private let condition = NSCondition()
    private var queue: Deque<[[UInt8]]> = []
    private var dropped = 0
    private var sending = false
    private let capacity: Int
    private var started = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Queues one entry: a list of `FIELD=value` byte strings.
    func submit(_ fields: [[UInt8]]) {
        condition.lock()
        defer { condition.unlock() }
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "siftd-journal"
            thread.start()
        }
        guard queue.count < capacity else {
            dropped += 1
            Counter(label: "siftd_journal_dropped_total").increment()
            return
        }
        queue.append(fields)
        condition.signal()
    }

    /// Waits until every queued entry was handed to the journal, or `timeout` passes.
    public func flush(timeout: Duration = .seconds(2)) {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        while !queue.isEmpty || sending {
            if !condition.wait(until: deadline) { return }
        }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let batch = Array(queue)
            queue.removeAll(keepingCapacity: true)
            let droppedNow = dropped
            dropped = 0
            sending = true
            condition.unlock()

            if droppedNow > 0 {
                Self.send(Self.droppedNotice(droppedNow))
            }
            for entry in batch {
                Self.send(entry)
            }
            condition.lock()
            sending = false
            condition.broadcast()
            condition.unlock()
        }
    }

    private static func droppedNotice(_ count: Int) -> [[UInt8]] {
        [
            Array("MESSAGE=\(count) log entries were dropped because the journal did not keep up".utf8),
            Array("PRIORITY=4".utf8), Array("SYSLOG_IDENTIFIER=siftd".utf8),
            Array("MESSAGE_ID=\(SiftEvent.logEntriesDropped.messageID)".utf8),
            Array("SIFTD_DROPPED=\(count)".utf8),
        ]
    }

    /// Sends one entry with the native protocol; field values may hold newlines and any bytes.
    private static func send(_ fields: [[UInt8]]) {
        let joined = fields.flatMap { $0 }
        joined.withUnsafeBytes { bytes in
            var offset = 0
            var vectors = fields.map { field -> iovec in
                defer { offset += field.count }
                return iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress!.advanced(by: offset)), iov_len: field.count)
            }
            // An absent or failing journal is not an error of processing: the entry is lost, nothing else.
            _ = sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }
}
