import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// What a running instance reports about itself in `work/<instance>/.status.json`, rewritten
/// when its figures change (looked at once a second), for `siftd status` and for scripts: the
/// figures of systemd's status line.
public struct InstanceStatus: Codable, Sendable, Equatable {
    /// `running`, `stopping`, or `stopped` (written last, at a clean stop).
    public var state: String
    public var instance: String
    public var pid: Int32
    public var version: String
    /// When the instance started (RFC 3339).
    public var started: String
    /// When this status was written (RFC 3339).
    public var updated: String
    public var processed: Int
    public var partial: Int
    public var failed: Int
    public var deferred: Int
    public var inFlight: Int
    /// Files waiting in the inbox that the instance knows of.
    public var queued: Int
    /// Whether more files wait in the inbox than the instance has listed (`max_queued`).
    public var queuedMore: Bool
    /// Documents finished per second over the last ten seconds.
    public var documentsPerSecond: Double
    public var lastDocument: String?

    enum CodingKeys: String, CodingKey {
        case state, instance, pid, version, started, updated, processed, partial, failed, deferred
        case inFlight = "in_flight"
        case queued
        case queuedMore = "queued_more"
        case documentsPerSecond = "documents_per_second"
        case lastDocument = "last_document"
    }

    /// The file an instance's status is kept in.
    public static func path(layout: SpoolLayout, instance: String) -> FilePath {
        layout.instanceDirectory(instance).appending(".status.json")
    }

    /// Reads an instance's status; `nil` when there is none or it cannot be read.
    public static func read(layout: SpoolLayout, instance: String) -> InstanceStatus? {
        guard let bytes = FileSystem.readSmallFile(path(layout: layout, instance: instance), limit: 64 << 10) else { return nil }
        return try? JSONDecoder().decode(InstanceStatus.self, from: Data(bytes))
    }

    /// Whether a live process holds the instance's lock, that is, the instance runs.
    public static func isRunning(layout: SpoolLayout, instance: String) -> Bool {
        let descriptor = open(layout.instanceDirectory(instance).appending(".lock").string, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Replaces the status file at once (a new file renamed over the old one), so a reader never
    /// sees half of one. Not flushed to disk: it is rewritten often and means nothing after a crash.
    func write(layout: SpoolLayout) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let target = Self.path(layout: layout, instance: instance)
        let temporary = layout.instanceDirectory(instance).appending(".status.json.tmp")
        try FileSystem.removeFile(temporary)
        try FileSystem.writeNewFile(Array(try encoder.encode(self)) + [0x0A], to: temporary, sync: false)
        guard rename(temporary.string, target.string) == 0 else {
            throw SiftError(.io, "cannot replace \(target): \(Errno(rawValue: errno))")
        }
    }
}
