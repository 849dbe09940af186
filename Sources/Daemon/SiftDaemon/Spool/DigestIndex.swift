import Foundation
import SiftPluginAPI
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Remembers the SHA-256 of every processed input, shared by all instances on a spool.
///
/// One small marker file per digest under `work/.digests/`, created with `O_EXCL`, so that two
/// instances racing on the same content agree on which came first. Markers are hints, not data:
/// they are not flushed to disk, and a marker lost in a power failure only misses one duplicate flag.
struct DigestIndex: Sendable {
    let directory: FilePath
    let instance: String

    private struct Marker: Decodable {
        var documentID: String
        var name: String
        var result: String?

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
            case name, result
        }

        /// The marker's JSON (read back with `JSONDecoder`), written without `JSONEncoder`'s
        /// boxes: two markers per document.
        func serialized() throws -> [UInt8] {
            var members: [String: JSONValue] = [
                CodingKeys.documentID.stringValue: .string(documentID), CodingKeys.name.stringValue: .string(name),
            ]
            if let result { members[CodingKeys.result.stringValue] = .string(result) }
            return try JSONWriter(style: .compact).serialize(.object(members))
        }
    }

    /// Registers `sha256` for the document; returns the earlier document when the content was seen before.
    func register(sha256: String, documentID: String, name: String) throws -> ResultRecord.DuplicateReference? {
        let path = markerPath(sha256)
        let bytes = try Marker(documentID: documentID, name: name, result: nil).serialized()
        do {
            if !FileSystem.exists(path.removingLastComponent()) {
                try FileSystem.makeDirectory(path.removingLastComponent())
            }
            try FileSystem.writeNewFile(bytes, to: path, sync: false)
            return nil
        } catch {
            guard FileSystem.exists(path) else { throw error }
        }
        guard let existing = FileSystem.readSmallFile(path).flatMap({ try? JSONDecoder().decode(Marker.self, from: Data($0)) })
        else {
            return nil
        }
        if existing.documentID == documentID { return nil }
        return ResultRecord.DuplicateReference(documentID: existing.documentID, result: existing.result)
    }

    /// Notes where the document's result went, for later duplicates to point at.
    ///
    /// The marker is rewritten in place rather than replaced: the new content only adds to the
    /// old, and a new inode per document would make ext4 scan its inode tables ever longer.
    func recordResult(sha256: String, documentID: String, name: String, result: String) throws {
        let path = markerPath(sha256)
        let bytes = try Marker(documentID: documentID, name: name, result: result).serialized()
        let descriptor = open(path.string, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SiftError(.io, "cannot update the digest marker \(path): \(Errno(rawValue: errno))")
        }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        // Cut at the new end: a marker an earlier version wrote may be longer (it escaped "/").
        guard written == bytes.count, ftruncate(descriptor, off_t(bytes.count)) == 0 else {
            throw SiftError(.io, "cannot update the digest marker \(path): \(Errno(rawValue: errno))")
        }
    }

    private func markerPath(_ sha256: String) -> FilePath {
        directory.appending(String(sha256.prefix(2))).appending(sha256)
    }
}
