import SystemPackage

/// An input this instance has taken from the inbox: it now lives at `work/<instance>/<id>/<name>`.
public struct ClaimedFile: Sendable, Equatable {
    /// The document's identifier, kept in its result and error records.
    public var documentID: String
    /// The input's original name.
    public var name: String
    /// The claim's own directory.
    public var directory: FilePath

    /// Where the input is now.
    public var path: FilePath { directory.appending(name) }
}
