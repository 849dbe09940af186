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

    /// Whether `name` is one of this instance's temporary files: `.siftd-<instance>-<document id>.tmp`
    /// exactly, so that instance `a` never takes instance `a-b`'s for its own.
    func isOwnTemporaryFile(_ name: String) -> Bool {
        guard name.hasPrefix(temporaryPrefix), name.hasSuffix(".tmp") else { return false }
        return DocumentID.isValid(String(name.dropFirst(temporaryPrefix.count).dropLast(4)))
    }

    /// The suffix of error records in `failed/`; inputs never take a name that ends with it.
    static let errorRecordSuffix = ".error.json"

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
            for name in try FileSystem.entries(of: directory) where isOwnTemporaryFile(name) {
                try FileSystem.removeFile(directory.appending(name))
            }
        }
        return try FileSystem.entries(of: instanceDirectory).sorted().compactMap {
            try ClaimedFile.parse(entry: $0, in: instanceDirectory)
        }
    }

    /// Writes a result durably to the outbox as `<name>.json` (or the next free name) and returns the name used.
    public func publishResult(_ bytes: [UInt8], for claim: ClaimedFile) throws -> String {
        try publishUnique(bytes, in: layout.outbox, name: claim.name + ".json", documentID: claim.documentID)
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
    ///
    /// An input whose own name ends in `.error.json` is stored with `.input` added, so that the names
    /// ending in `.error.json` belong to error records alone.
    @discardableResult
    public func finishFailed(_ claim: ClaimedFile, record makeRecord: (String) -> FailureRecord) throws -> String {
        defer { claim.directory.map { try? FileSystem.removeDirectory($0) } }
        let encoder = Self.encoder()
        let storedName = claim.name.lowercased().hasSuffix(Self.errorRecordSuffix) ? claim.name + ".input" : claim.name
        for attempt in 1...UniqueName.maximumAttempts {
            let recordName = UniqueName.candidate(storedName, attempt: attempt, suffix: Self.errorRecordSuffix)
            let failedName = String(recordName.utf8.dropLast(Self.errorRecordSuffix.utf8.count))!
            let errorPath = layout.failed.appending(recordName)
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

    /// Encodes records the same way everywhere: sorted keys, slashes unescaped, on one line or
    /// indented. Error records are always indented: people read them.
    static func encoder(_ format: SiftConfiguration.ResultFormat = .pretty) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if format == .pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        return encoder
    }

    private func publishUnique(_ bytes: [UInt8], in directory: FilePath, name: String, documentID: String) throws -> String {
        let temporary = directory.appending(temporaryPrefix + documentID + ".tmp")
        try FileSystem.removeFile(temporary)
        try FileSystem.writeNewFile(bytes, to: temporary)
        var published = false
        defer { if !published { try? FileSystem.removeFile(temporary) } }
        for attempt in 1...UniqueName.maximumAttempts {
            let candidate = UniqueName.candidate(name, attempt: attempt)
            switch try FileSystem.moveNoReplace(temporary, to: directory.appending(candidate)) {
            case .moved:
                published = true
                try FileSystem.syncDirectory(directory)
                return candidate
            case .targetExists:
                if self.documentID(at: directory.appending(candidate)) == documentID {
                    return candidate
                }
            case .sourceMissing:
                throw SiftError(.io, "the temporary result \(temporary) vanished before it was published")
            }
        }
        throw SiftError(.io, "no free name for \(name) in \(directory)")
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
        var documentID: String

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
        }
    }

    private func documentID(at path: FilePath) -> String? {
        guard let bytes = FileSystem.readSmallFile(path) else { return nil }
        return try? JSONDecoder().decode(IdentifiedRecord.self, from: Data(bytes)).documentID
    }
}
