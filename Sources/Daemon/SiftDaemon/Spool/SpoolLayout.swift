import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Where siftd reads, writes and parks files.
public struct SpoolLayout: Sendable, Equatable {
    /// Where new documents are dropped.
    public var inbox: FilePath
    /// Where results are written.
    public var outbox: FilePath
    /// Where inputs go once their result is durable.
    public var processed: FilePath
    /// Where inputs that could not be processed go, each with an `.error.json`.
    public var failed: FilePath
    /// Where instances keep claimed files (one directory per instance) and shared state.
    public var work: FilePath

    /// Creates a layout from explicit directories.
    public init(inbox: FilePath, outbox: FilePath, processed: FilePath, failed: FilePath, work: FilePath) {
        self.inbox = inbox
        self.outbox = outbox
        self.processed = processed
        self.failed = failed
        self.work = work
    }

    /// The conventional layout below one spool directory.
    public init(spool: FilePath) {
        self.init(
            inbox: spool.appending("inbox"), outbox: spool.appending("outbox"),
            processed: spool.appending("processed"), failed: spool.appending("failed"), work: spool.appending("work")
        )
    }

    /// One instance's directory of claimed files.
    public func instanceDirectory(_ instance: String) -> FilePath { work.appending(instance) }

    /// The shared index of processed content digests.
    public var digests: FilePath { work.appending(".digests") }

    /// Creates missing directories and checks that claimed files can be moved by rename.
    public func prepare(instance: String) throws {
        for directory in [inbox, outbox, processed, failed, work, instanceDirectory(instance), digests] {
            try FileSystem.makeDirectory(directory)
        }
        guard let inboxDevice = FileSystem.status(inbox)?.st_dev else {
            throw SiftError(.io, "cannot stat the inbox \(inbox)")
        }
        for (role, directory) in [("work", work), ("processed", processed), ("failed", failed)] {
            guard FileSystem.status(directory)?.st_dev == inboxDevice else {
                throw SiftError(
                    .invalidConfiguration,
                    "the \(role) directory \(directory) is on another file system than the inbox \(inbox); "
                        + "siftd moves files between them by atomic rename, so they must share one"
                )
            }
        }
    }
}
