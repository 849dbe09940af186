import CLinux
import Dispatch
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Watches one directory with inotify and delivers its events as an `AsyncStream`.
///
/// The file descriptor is non-blocking and read from a Dispatch read source, wrapped here so
/// that the rest of siftd sees only an async sequence.
public final class InotifyWatcher: Sendable {
    /// The events, until ``stop()`` or the directory is lost.
    public let events: AsyncStream<InboxEvent>
    // Dispatch sources are thread-safe; Dispatch predates Sendable annotations.
    private nonisolated(unsafe) let source: any DispatchSourceRead

    /// Starts watching `directory`.
    public init(directory: FilePath) throws {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            throw SiftError(.io, "inotify_init1 failed: \(Errno(rawValue: errno))")
        }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
        guard inotify_add_watch(descriptor, directory.string, mask) >= 0 else {
            let error = Errno(rawValue: errno)
            close(descriptor)
            throw SiftError(.io, "cannot watch \(directory) with inotify: \(error)")
        }
        let (stream, continuation) = AsyncStream.makeStream(of: InboxEvent.self, bufferingPolicy: .unbounded)
        events = stream
        let queue = DispatchQueue(label: "siftd.inotify")
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        self.source = source
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 8)
        source.setEventHandler {
            while true {
                let count = read(descriptor, buffer.baseAddress, buffer.count)
                if count <= 0 { break }
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let header = buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: inotify_event.self).pointee
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    var name = ""
                    var undecodable: [UInt8]?
                    if header.len > 0 {
                        let namePointer = buffer.baseAddress!.advanced(by: nameStart).assumingMemoryBound(to: UInt8.self)
                        let bytes = Array(
                            UnsafeBufferPointer(
                                start: namePointer, count: strnlen(UnsafeRawPointer(namePointer).assumingMemoryBound(to: CChar.self), Int(header.len))
                            ))
                        if let decoded = FileName.decoded(bytes) { name = decoded } else { undecodable = bytes }
                    }
                    offset = nameStart + Int(header.len)
                    if let undecodable, header.mask & UInt32(IN_ISDIR) == 0 {
                        continuation.yield(.undecodableName(undecodable))
                    } else if let event = Self.event(mask: header.mask, name: name) {
                        continuation.yield(event)
                        if event == .watchLost { continuation.finish() }
                    }
                }
            }
        }
        source.setCancelHandler {
            close(descriptor)
            buffer.deallocate()
            continuation.finish()
        }
        nonisolated(unsafe) let cancellable = source
        continuation.onTermination = { _ in cancellable.cancel() }
        source.activate()
    }

    private static func event(mask: UInt32, name: String) -> InboxEvent? {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { return .overflow }
        if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 { return .watchLost }
        guard !name.isEmpty, mask & UInt32(IN_ISDIR) == 0 else { return nil }
        if mask & UInt32(IN_MOVED_TO) != 0 { return .movedIn(name) }
        if mask & UInt32(IN_CLOSE_WRITE) != 0 { return .closedWrite(name) }
        return .changed(name)
    }

    /// Stops watching; the event stream finishes.
    public func stop() {
        source.cancel()
    }

    deinit {
        source.cancel()
    }
}
