import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Holds the lock that keeps a second live instance of the same name off a spool.
///
/// An advisory `flock` on `work/<instance>/.lock`, held for the life of the process; the
/// kernel drops it when the process dies, so a crash never leaves a stale lock.
public final class InstanceLock: Sendable {
    private let descriptor: Int32
    /// The lock file.
    public let path: FilePath

    /// Takes the lock.
    /// - Throws: ``SiftError`` `.instanceLocked` when another live process holds it.
    public init(layout: SpoolLayout, instance: String) throws {
        path = layout.instanceDirectory(instance).appending(".lock")
        descriptor = open(path.string, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw SiftError(.io, "cannot open the instance lock \(path): \(Errno(rawValue: errno))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = FileSystem.readSmallFile(path, limit: 64).flatMap { String(decoding: $0, as: UTF8.self) }?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw SiftError(
                .instanceLocked,
                "another siftd instance named '\(instance)' is already running on this spool"
                    + (holder.map { " (pid \($0))" } ?? "") + "; give each instance its own --instance name"
            )
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        close(descriptor)
    }
}
