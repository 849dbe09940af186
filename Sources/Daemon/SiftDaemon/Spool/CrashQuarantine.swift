import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Remembers which documents were in flight, so that a document that kills the process costs
/// that document and never the service.
///
/// Each worker owns a fixed slot in `work/<instance>/.in-flight` and writes the id of the document
/// it works on there before it starts, and blanks it when done: two `pwrite`s per document, no new
/// inode, no flush (what must survive is the death of the process, not of the machine; a slot lost
/// in a power failure only means its document is retried like any other). At start-up, the slots
/// still written name the documents in flight when the process died: each becomes a suspect,
/// retried once more, alone, before anything else runs. A suspect in flight at a second death is
/// quarantined: it goes to `failed/` with code `crashed`. The suspects and their deaths are kept
/// in `work/<instance>/.suspects` between starts.
public final class CrashQuarantine: Sendable {
    /// What start-up found among the claims a previous run left.
    public struct Recovery: Sendable, Equatable {
        /// Claims whose document was in flight at two deaths, or at a death while it ran alone.
        public var quarantined: [ClaimedFile] = []
        /// Claims whose document was in flight at one death: retry each alone, first.
        public var suspects: [ClaimedFile] = []
        /// The other claims (deferred results, or in flight at a graceful stop).
        public var others: [ClaimedFile] = []
    }

    private static let slotBytes = 64
    private let directory: FilePath
    private let descriptor: Int32

    private var slotsPath: FilePath { directory.appending(".in-flight") }
    private var suspectsPath: FilePath { directory.appending(".suspects") }

    /// Opens the instance's record in its work directory (which must exist).
    public init(instanceDirectory: FilePath) throws {
        directory = instanceDirectory
        let path = instanceDirectory.appending(".in-flight")
        descriptor = open(path.string, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw SiftError(.io, "cannot open \(path): \(Errno(rawValue: errno))")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sorts the claims a previous run left, counts the death of the run that left them, and
    /// blanks every slot. Call once, before any worker starts.
    public func recover(_ claims: [ClaimedFile]) throws -> Recovery {
        var deaths = readSuspects()
        for (id, alone) in readSlots() {
            deaths[id, default: 0] += alone ? 2 : 1
        }
        let present = Set(claims.map(\.documentID))
        deaths = deaths.filter { present.contains($0.key) }
        var recovery = Recovery()
        for claim in claims {
            switch deaths[claim.documentID] ?? 0 {
            case 0: recovery.others.append(claim)
            case 1: recovery.suspects.append(claim)
            default: recovery.quarantined.append(claim)
            }
        }
        try writeSuspects(deaths.filter { $0.value == 1 })
        guard ftruncate(descriptor, 0) == 0 else {
            throw SiftError(.io, "cannot clear \(slotsPath): \(Errno(rawValue: errno))")
        }
        return recovery
    }

    /// Records that the worker owning `slot` starts on `documentID`; `alone` while nothing else runs.
    public func begin(slot: Int, documentID: String, alone: Bool = false) {
        write(slot: slot, Array((documentID + (alone ? " alone" : " shared")).utf8))
    }

    /// Records that the worker owning `slot` is done with its document.
    public func end(slot: Int) {
        write(slot: slot, [])
    }

    private func write(slot: Int, _ content: [UInt8]) {
        var bytes = content + [UInt8](repeating: 0x20, count: Self.slotBytes - 1 - content.count)
        bytes.append(0x0A)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(slot * Self.slotBytes)) }
    }

    private func readSlots() -> [(String, Bool)] {
        guard let bytes = FileSystem.readSmallFile(slotsPath, limit: 1 << 20) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, DocumentID.isValid(String(fields[0])) else { return nil }
            return (String(fields[0]), fields[1] == "alone")
        }
    }

    private func readSuspects() -> [String: Int] {
        guard let bytes = FileSystem.readSmallFile(suspectsPath, limit: 1 << 20) else { return [:] }
        var deaths: [String: Int] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, DocumentID.isValid(String(fields[0])), let count = Int(fields[1]) else { continue }
            deaths[String(fields[0])] = count
        }
        return deaths
    }

    /// Replaces the suspects file durably: it must survive the next death.
    private func writeSuspects(_ deaths: [String: Int]) throws {
        if deaths.isEmpty {
            try FileSystem.removeFile(suspectsPath)
            return
        }
        let temporary = directory.appending(".suspects.tmp")
        try FileSystem.removeFile(temporary)
        let text = deaths.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined()
        try FileSystem.writeNewFile(Array(text.utf8), to: temporary)
        guard rename(temporary.string, suspectsPath.string) == 0 else {
            throw SiftError(.io, "cannot replace \(suspectsPath): \(Errno(rawValue: errno))")
        }
        try FileSystem.syncDirectory(directory)
    }
}
