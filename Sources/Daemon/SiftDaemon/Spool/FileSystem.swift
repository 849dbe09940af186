import CLinux
import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The few POSIX operations the spool needs, with the durability rules spelled out once.
enum FileSystem {
    /// What a move without replacement did.
    enum MoveOutcome: Equatable {
        case moved
        case targetExists
        case sourceMissing
    }

    /// Moves `source` to `target` atomically, never replacing an existing `target`.
    static func moveNoReplace(_ source: FilePath, to target: FilePath) throws -> MoveOutcome {
        let result = source.withPlatformString { sourcePath in
            target.withPlatformString { targetPath in
                sift_rename_noreplace(AT_FDCWD, sourcePath, AT_FDCWD, targetPath)
            }
        }
        if result == 0 { return .moved }
        switch errno {
        case EEXIST: return .targetExists
        case ENOENT: return .sourceMissing
        case EINVAL:
            // The file system has no RENAME_NOREPLACE (some network file systems): check, then rename.
            if exists(target) { return .targetExists }
            guard rename(source.string, target.string) == 0 else {
                if errno == ENOENT { return .sourceMissing }
                throw SiftError(.io, "cannot move \(source) to \(target): \(Errno(rawValue: errno))")
            }
            return .moved
        default:
            throw SiftError(.io, "cannot move \(source) to \(target): \(Errno(rawValue: errno))")
        }
    }

    /// Whether anything (even a dangling link) exists at `path`.
    static func exists(_ path: FilePath) -> Bool {
        var status = stat()
        return lstat(path.string, &status) == 0
    }

    /// `lstat` of `path`, or `nil` when it does not exist.
    static func status(_ path: FilePath) -> stat? {
        var status = stat()
        return lstat(path.string, &status) == 0 ? status : nil
    }

    /// Writes `bytes` to a new file at `path` (which must not exist) and, unless `sync` is false, flushes it to disk.
    static func writeNewFile(
        _ bytes: [UInt8], to path: FilePath, sync: Bool = true,
        permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
    ) throws {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                path, .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec], permissions: permissions
            )
        } catch {
            throw SiftError(.io, "cannot create \(path): \(error)")
        }
        do {
            try descriptor.closeAfter {
                _ = try descriptor.writeAll(bytes)
                if sync, fsync(descriptor.rawValue) != 0 { throw Errno(rawValue: errno) }
            }
        } catch {
            _ = unlink(path.string)
            throw SiftError(.io, "cannot write \(path): \(error)")
        }
    }

    /// Flushes a directory's entries (after a rename or unlink in it) to disk.
    static func syncDirectory(_ path: FilePath) throws {
        let descriptor = open(path.string, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SiftError(.io, "cannot open directory \(path): \(Errno(rawValue: errno))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SiftError(.io, "cannot sync directory \(path): \(Errno(rawValue: errno))") }
    }

    /// Creates a directory and its parents when missing.
    static func makeDirectory(_ path: FilePath) throws {
        do {
            try FileManager.default.createDirectory(atPath: path.string, withIntermediateDirectories: true)
        } catch {
            throw SiftError(.io, "cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    /// The names in a directory, `.` and `..` excluded, unsorted; names that are not UTF-8 are left out.
    static func entries(of path: FilePath) throws -> [String] {
        try listing(of: path).names
    }

    /// The names in a directory, `.` and `..` excluded, unsorted, and apart the raw bytes of the
    /// names that are not valid UTF-8.
    static func listing(of path: FilePath) throws -> (names: [String], undecodable: [[UInt8]]) {
        var names: [String] = []
        var undecodable: [[UInt8]] = []
        try forEachEntry(of: path) { name, bytes in
            if let name { names.append(name) } else { undecodable.append(bytes) }
            return true
        }
        return (names, undecodable)
    }

    /// Reads a directory entry by entry, `.` and `..` excluded, in the directory's order, handing
    /// `visit` each name (`nil` when it is not UTF-8) and its raw bytes, until `visit` returns
    /// `false`: a huge directory is never held in memory whole.
    static func forEachEntry(of path: FilePath, _ visit: (String?, [UInt8]) throws -> Bool) throws {
        guard let directory = opendir(path.string) else {
            throw SiftError(.io, "cannot list \(path): \(Errno(rawValue: errno))")
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let bytes = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: UInt8.self, capacity: Int(NAME_MAX) + 1) { start in
                    Array(UnsafeBufferPointer(start: start, count: strlen(UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self))))
                }
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            guard try visit(FileName.decoded(bytes), bytes) else { return }
        }
    }

    /// The path of the entry of `directory` whose name is these raw bytes.
    static func path(in directory: FilePath, rawName bytes: [UInt8]) -> FilePath? {
        let component = (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            FilePath.Component(platformString: $0.baseAddress!)
        }
        return component.map { directory.appending($0) }
    }

    /// Reads a small file whole; `nil` when it is missing or unreadable.
    static func readSmallFile(_ path: FilePath, limit: Int = 64 << 20) -> [UInt8]? {
        guard let descriptor = try? FileDescriptor.open(path, .readOnly, options: [.noFollow, .closeOnExec]) else {
            return nil
        }
        return try? descriptor.closeAfter {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while bytes.count <= limit {
                let count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) }
                if count == 0 { break }
                bytes.append(contentsOf: chunk[0..<count])
            }
            return bytes
        }
    }

    /// Removes a file; a missing file is not an error.
    static func removeFile(_ path: FilePath) throws {
        if unlink(path.string) != 0, errno != ENOENT {
            throw SiftError(.io, "cannot remove \(path): \(Errno(rawValue: errno))")
        }
    }

    /// Removes an empty directory; a missing one is not an error.
    static func removeDirectory(_ path: FilePath) throws {
        if rmdir(path.string) != 0, errno != ENOENT {
            throw SiftError(.io, "cannot remove directory \(path): \(Errno(rawValue: errno))")
        }
    }
}
