import Foundation
import SystemPackage

/// One instance's view of a spool: claiming inputs, publishing results, and setting inputs aside.
///
/// Every step is crash-safe and idempotent: a claim is an atomic rename into the instance's own
/// work directory; a result is written to a temporary file, flushed, and renamed into place without
/// ever replacing another file; only then is the input moved on. Re-running any step after a crash
/// finds its own earlier output (by document id) instead of writing a second one.
public struct Spool: Sendable {
    /// The directories.
    public let layout: SpoolLayout
    /// This instance's name.
    public let instance: String

    /// Creates the view; call ``SpoolLayout/prepare(instance:)`` first.
    public init(layout: SpoolLayout, instance: String) {
        self.layout = layout
        self.instance = instance
    }

    private var instanceDirectory: FilePath { layout.instanceDirectory(instance) }
    private var temporaryPrefix: String { ".siftd-\(instance)-" }

    /// Takes `name` from the inbox; `nil` when it is gone (another instance took it, or it was removed).
    public func claim(_ name: String) throws -> ClaimedFile? {
        let claimed = ClaimedFile.make(documentID: DocumentID.make(), name: name, in: instanceDirectory)
        if let directory = claimed.directory { try FileSystem.makeDirectory(directory) }
        switch try FileSystem.moveNoReplace(layout.inbox.appending(name), to: claimed.path) {
        case .moved:
            return claimed
        case .sourceMissing, .targetExists:
            if let directory = claimed.directory { try? FileSystem.removeDirectory(directory) }
            return nil
        }
    }

    /// The claims a previous run of this instance left unfinished, oldest first; also removes
    /// this instance's temporary files and empty claim directories.
    public func recoverClaims() throws -> [ClaimedFile] {
        for directory in [layout.outbox, layout.failed, layout.digests] {
            for name in try FileSystem.entries(of: directory) where name.hasPrefix(temporaryPrefix) {
                try FileSystem.removeFile(directory.appending(name))
            }
        }
        return try FileSystem.entries(of: instanceDirectory).sorted().compactMap {
            try ClaimedFile.parse(entry: $0, in: instanceDirectory)
        }
    }

    /// Writes a result durably to the outbox as `<name>.json` (or the next free name) and returns the name used.
    public func publishResult(_ bytes: [UInt8], for claim: ClaimedFile) throws -> String {
        try publishUnique(bytes, in: layout.outbox, baseName: claim.name + ".json", documentID: claim.documentID)
    }

    /// Moves the input to `processed/` (or deletes it) after its result is durable; returns its new name.
    @discardableResult
    public func finishSucceeded(_ claim: ClaimedFile, deleteInput: Bool) throws -> String? {
        defer { claim.directory.map { try? FileSystem.removeDirectory($0) } }
        if deleteInput {
            try FileSystem.removeFile(claim.path)
            return nil
        }
        return try moveInput(claim, to: layout.processed)
    }

    /// Sets the input aside in `failed/` with `<name>.error.json` beside it; returns the name used.
    @discardableResult
    public func finishFailed(_ claim: ClaimedFile, record makeRecord: (String) -> FailureRecord) throws -> String {
        defer { claim.directory.map { try? FileSystem.removeDirectory($0) } }
        let encoder = Self.encoder
        for attempt in 1...UniqueName.maximumAttempts {
            let failedName = UniqueName.candidate(claim.name, attempt: attempt)
            let errorPath = layout.failed.appending(failedName + ".error.json")
            if FileSystem.exists(layout.failed.appending(failedName)) || FileSystem.exists(errorPath) {
                // A record of ours from an interrupted run: finish that one.
                if documentID(at: errorPath) == claim.documentID {
                    if try moveInput(claim, to: layout.failed, exactName: failedName) { return failedName }
                }
                continue
            }
            let bytes = Array(try encoder.encode(makeRecord(failedName))) + [0x0A]
            let temporary = layout.failed.appending(temporaryPrefix + claim.documentID + ".tmp")
            try FileSystem.removeFile(temporary)
            try FileSystem.writeNewFile(bytes, to: temporary)
            switch try FileSystem.moveNoReplace(temporary, to: errorPath) {
            case .moved:
                if try moveInput(claim, to: layout.failed, exactName: failedName) {
                    try FileSystem.syncDirectory(layout.failed)
                    return failedName
                }
            case .targetExists, .sourceMissing:
                try FileSystem.removeFile(temporary)
            }
        }
        throw SiftError(.io, "no free name for \(claim.name) in \(layout.failed)")
    }

    /// Encodes records the same way everywhere: sorted keys, readable, slashes unescaped.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    private func publishUnique(_ bytes: [UInt8], in directory: FilePath, baseName: String, documentID: String) throws -> String {
        let temporary = directory.appending(temporaryPrefix + documentID + ".tmp")
        try FileSystem.removeFile(temporary)
        try FileSystem.writeNewFile(bytes, to: temporary)
        for attempt in 1...UniqueName.maximumAttempts {
            let candidate = UniqueName.candidate(baseName, attempt: attempt)
            switch try FileSystem.moveNoReplace(temporary, to: directory.appending(candidate)) {
            case .moved:
                try FileSystem.syncDirectory(directory)
                return candidate
            case .targetExists:
                if self.documentID(at: directory.appending(candidate)) == documentID {
                    try FileSystem.removeFile(temporary)
                    return candidate
                }
            case .sourceMissing:
                throw SiftError(.io, "the temporary result \(temporary) vanished before it was published")
            }
        }
        throw SiftError(.io, "no free name for \(baseName) in \(directory)")
    }

    private func moveInput(_ claim: ClaimedFile, to directory: FilePath) throws -> String? {
        for attempt in 1...UniqueName.maximumAttempts {
            let candidate = UniqueName.candidate(claim.name, attempt: attempt)
            if try moveInput(claim, to: directory, exactName: candidate) { return candidate }
            if !FileSystem.exists(claim.path) { return nil }
        }
        throw SiftError(.io, "no free name for \(claim.name) in \(directory)")
    }

    /// Moves the input on. Its directory is not synced: if a power loss undoes the move, the input
    /// reappears in the work directory and is processed again, which finds its own result and moves it.
    private func moveInput(_ claim: ClaimedFile, to directory: FilePath, exactName: String) throws -> Bool {
        switch try FileSystem.moveNoReplace(claim.path, to: directory.appending(exactName)) {
        case .moved:
            return true
        case .targetExists:
            return false
        case .sourceMissing:
            return !FileSystem.exists(claim.path)
        }
    }

    private struct IdentifiedRecord: Decodable {
        var document_id: String
    }

    private func documentID(at path: FilePath) -> String? {
        guard let bytes = FileSystem.readSmallFile(path) else { return nil }
        return try? JSONDecoder().decode(IdentifiedRecord.self, from: Data(bytes)).document_id
    }
}
