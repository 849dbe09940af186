/// Splits a plugin's standard error into log lines, cutting long lines and limiting the rate.
///
/// It keeps at most ``maxLineBytes`` of a line, so any amount of output is drained in bounded
/// memory. Lines are forwarded through a token bucket (``linesPerSecond``, bursts of ``burst``);
/// the lines over the rate are counted, and ``droppedSummary()`` reports the count.
struct StderrLines: Sendable {
    /// The longest line forwarded; the rest of a longer line is counted, not kept.
    static let maxLineBytes = 4096
    /// The rate at which lines are forwarded once a burst is spent.
    static let linesPerSecond = 100.0
    /// How many lines may be forwarded at once.
    static let burst = 200.0

    private var line: [UInt8] = []
    private var cutBytes = 0
    private var tokens = burst
    private var refilledAt: ContinuousClock.Instant
    private var dropped = 0

    /// Starts with a full bucket.
    init(now: ContinuousClock.Instant) {
        refilledAt = now
    }

    /// Takes the next bytes of the stream; returns the lines to log, without their newlines.
    mutating func consume(_ bytes: UnsafeRawBufferPointer, at now: ContinuousClock.Instant) -> [String] {
        var lines: [String] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.endIndex
            let kept = min(end - start, Self.maxLineBytes - line.count)
            line.append(contentsOf: bytes[start..<(start + kept)])
            cutBytes += end - start - kept
            guard let newline else { break }
            if let text = completeLine(at: now) { lines.append(text) }
            start = newline + 1
        }
        return lines
    }

    /// Ends the stream: the unterminated last line to log, if any (call ``droppedSummary()`` after).
    mutating func finish(at now: ContinuousClock.Instant) -> String? {
        completeLine(at: now)
    }

    /// How many lines were dropped since the last summary, as a log line; `nil` if none were.
    mutating func droppedSummary() -> String? {
        guard dropped > 0 else { return nil }
        defer { dropped = 0 }
        return "\(dropped) line\(dropped == 1 ? "" : "s") dropped (more than \(Int(Self.linesPerSecond)) a second)"
    }

    private mutating func completeLine(at now: ContinuousClock.Instant) -> String? {
        defer {
            line.removeAll(keepingCapacity: true)
            cutBytes = 0
        }
        if line.isEmpty && cutBytes == 0 { return nil }
        let elapsed = now - refilledAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(Self.burst, tokens + seconds * Self.linesPerSecond)
        refilledAt = now
        guard tokens >= 1 else {
            dropped += 1
            return nil
        }
        tokens -= 1
        guard cutBytes > 0 else { return String(decoding: line, as: UTF8.self) }
        let kept = Self.completeUTF8Prefix(of: line)
        return String(decoding: line.prefix(kept), as: UTF8.self) + "… (\(cutBytes + line.count - kept) bytes cut)"
    }

    /// The length of `bytes` without a UTF-8 sequence cut off at its end.
    private static func completeUTF8Prefix(of bytes: [UInt8]) -> Int {
        var start = bytes.count
        // Back over at most three continuation bytes to the start of the last scalar.
        while start > 0, bytes.count - start < 4, bytes[start - 1] & 0xC0 == 0x80 { start -= 1 }
        guard start > 0 else { return bytes.count }
        let lead = bytes[start - 1]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return bytes.count - (start - 1) < length ? start - 1 : bytes.count
    }
}
