import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The I/O floor of the daemon: the durable file work it does per document, and nothing else.
/// Each document is read, a result of the same size is written to a temporary file and fsync'd,
/// renamed into the outbox, the outbox fsync'd, and the input moved to `processed/`; `workers`
/// tasks share the inbox as the daemon's workers do. What the daemon does beyond this is its
/// processing: the gap between the two benchmarks is what the pipeline costs.
struct DurableFileFloor {
    let inbox: URL
    let outbox: URL
    let processed: URL

    /// Creates the three directories under `root`.
    init(root: URL) throws {
        inbox = root.appendingPathComponent("inbox")
        outbox = root.appendingPathComponent("outbox")
        processed = root.appendingPathComponent("processed")
        for directory in [inbox, outbox, processed] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
    }

    /// Handles `names` (already in the inbox) with `workers` concurrent tasks.
    func handle(_ names: [String], workers: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for index in stride(from: worker, to: names.count, by: workers) {
                        try handle(names[index])
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// One document's durable file work.
    func handle(_ name: String) throws {
        let input = inbox.appendingPathComponent(name).path
        let bytes = try read(input)
        let temporary = outbox.appendingPathComponent(".\(name).tmp").path
        try write(bytes, to: temporary)
        try check(rename(temporary, outbox.appendingPathComponent(name + ".json").path), "rename into the outbox")
        try syncDirectory(outbox.path)
        try check(rename(input, processed.appendingPathComponent(name).path), "move to processed")
    }

    private func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        try check(descriptor, "open \(path)")
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            try check(count, "read \(path)")
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        try check(descriptor, "create \(path)")
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            try check(count, "write \(path)")
            written += count
        }
        try check(fsync(descriptor), "fsync \(path)")
    }

    private func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try check(descriptor, "open \(path)")
        defer { close(descriptor) }
        try check(fsync(descriptor), "fsync \(path)")
    }

    private func check(_ result: some BinaryInteger, _ what: String) throws {
        guard result >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO, userInfo: ["what": what]) }
    }
}
