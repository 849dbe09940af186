import CSystemd
import Foundation

/// Tells systemd about the service's state with `sd_notify`: `READY=1`, `STATUS=…`,
/// `RELOADING=1`, `STOPPING=1`, `EXTEND_TIMEOUT_USEC=…` and watchdog pings.
///
/// Without `NOTIFY_SOCKET` (not started by systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    /// Creates a notifier for this process.
    public init() {}

    /// Whether systemd listens.
    public var isListening: Bool { ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] != nil }

    /// Sends newline-separated `KEY=value` assignments.
    public func send(_ assignments: String) {
        guard isListening else { return }
        _ = assignments.withCString { sd_notify(0, $0) }
    }

    /// The service is ready: configuration and pipeline valid, inbox watched.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    /// A reload begins.
    public func reloading() { send("RELOADING=1\nSTATUS=reloading the configuration") }
    /// The service is stopping.
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(status)") }
    /// The one-line status `systemctl status` shows.
    public func status(_ text: String) { send("STATUS=\(text)") }
    /// Asks for more time to stop or start.
    public func extendTimeout(_ duration: Duration) {
        let microseconds = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        send("EXTEND_TIMEOUT_USEC=\(microseconds)")
    }
    /// A watchdog keep-alive.
    public func watchdog() { send("WATCHDOG=1") }

    /// The watchdog interval systemd expects pings within, if it set one for this process.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }
}
