import Subprocess

/// Reads newline-terminated lines from a child's output, refusing lines longer than a limit.
struct LineReader {
    private var iterator: SubprocessOutputSequence.Iterator
    private var buffer: [UInt8] = []
    private var searchedUpTo = 0
    private let limit: Int

    init(_ sequence: SubprocessOutputSequence, limit: Int) {
        iterator = sequence.makeAsyncIterator()
        self.limit = limit
    }

    /// The next line without its newline; `nil` at end of output.
    /// - Throws: ``PluginError`` `.protocolViolation` for a line over the limit.
    mutating func next() async throws -> [UInt8]? {
        while true {
            if let newline = buffer[searchedUpTo...].firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                searchedUpTo = 0
                return line
            }
            searchedUpTo = buffer.count
            if buffer.count > limit {
                throw LineTooLong(limit: limit)
            }
            guard let chunk = try await iterator.next() else {
                return nil
            }
            chunk.withUnsafeBytes { buffer.append(contentsOf: $0) }
        }
    }

    struct LineTooLong: Error {
        var limit: Int
    }
}
