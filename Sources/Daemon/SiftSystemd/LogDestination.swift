import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Decides where log lines go.
public enum LogDestination {
    /// systemd's documented rule: standard error is connected to the journal when `JOURNAL_STREAM`
    /// holds the device and inode of the file descriptor 2.
    public static func standardErrorIsJournal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
