import SystemPackage

/// An input this instance has taken from the inbox.
///
/// It lives at `work/<instance>/<id>~<name>`, or, when that would be longer than a file name
/// may be, at `work/<instance>/<id>/<name>`.
public struct ClaimedFile: Sendable, Equatable {
    /// The document's identifier, kept in its result and error records.
    public var documentID: String
    /// The input's original name.
    public var name: String
    /// Where the input is now.
    public var path: FilePath
    /// The claim's own directory, for names too long to carry the identifier; removed when done.
    public var directory: FilePath?

    /// The separator between the document id and the name in a claimed file's name.
    static let separator = "~"

    /// Where a claim of `name` with `documentID` goes inside `instanceDirectory`.
    static func make(documentID: String, name: String, in instanceDirectory: FilePath) -> ClaimedFile {
        let flat = documentID + separator + name
        if flat.utf8.count <= FileName.maximumBytes {
            return ClaimedFile(documentID: documentID, name: name, path: instanceDirectory.appending(flat), directory: nil)
        }
        let directory = instanceDirectory.appending(documentID)
        return ClaimedFile(documentID: documentID, name: name, path: directory.appending(name), directory: directory)
    }

    /// The claim an entry of an instance directory holds, if it is one.
    static func parse(entry: String, in instanceDirectory: FilePath) throws -> ClaimedFile? {
        if DocumentID.isValid(entry) {
            let directory = instanceDirectory.appending(entry)
            guard let name = try FileSystem.entries(of: directory).first else {
                try FileSystem.removeDirectory(directory)
                return nil
            }
            return ClaimedFile(documentID: entry, name: name, path: directory.appending(name), directory: directory)
        }
        guard let separator = entry.firstIndex(of: "~") else { return nil }
        let documentID = String(entry[..<separator])
        let name = String(entry[entry.index(after: separator)...])
        guard DocumentID.isValid(documentID), !name.isEmpty else { return nil }
        return ClaimedFile(documentID: documentID, name: name, path: instanceDirectory.appending(entry), directory: nil)
    }
}
