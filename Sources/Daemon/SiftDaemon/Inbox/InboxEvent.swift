/// Something the inbox watcher saw.
public enum InboxEvent: Sendable, Equatable {
    /// A file was renamed into the inbox: complete, take it at once.
    case movedIn(String)
    /// A writer closed a file it had open for writing.
    case closedWrite(String)
    /// A file was created or written to: it may still be growing.
    case changed(String)
    /// A file whose name is not valid UTF-8 (its raw bytes) was created, written or moved in.
    case undecodableName([UInt8])
    /// The kernel's event queue overflowed: events were lost, rescan.
    case overflow
    /// The inbox directory itself was removed or moved away.
    case watchLost
}
