import SystemPackage

/// Reads file paths one per line from a file descriptor as they arrive (`find … | siftd process
/// --files-from -` starts processing before `find` ends), in constant memory whatever the input.
///
/// Empty lines are skipped and a carriage return before the newline is dropped. A line longer than
/// ``maximumLength`` bytes is not a path: it is reported as an error and the reader goes on after
/// its newline, so one bad line never costs memory in proportion to its length.
struct PathListReader {
    /// The longest path accepted, in bytes (Linux's `PATH_MAX`).
    static let maximumLength = 4096

    /// A line of the list.
    enum Line: Equatable {
        /// A path, its bytes as written (Linux names need not be UTF-8).
        case path(FilePath)
        /// A line that is no path, with the reason.
        case invalid(line: Int, reason: String)
    }

    private let descriptor: FileDescriptor
    private var buffer: [UInt8] = []
    private var start = 0
    private var lineNumber = 0
    private var endOfInput = false
    private let chunkSize: Int

    /// Creates a reader of `descriptor`, reading `chunkSize` bytes at a time.
    init(_ descriptor: FileDescriptor, chunkSize: Int = 64 * 1024) {
        self.descriptor = descriptor
        self.chunkSize = chunkSize
    }

    /// The next line, or `nil` at the end of the input.
    /// - Throws: `Errno` when the descriptor cannot be read.
    mutating func next() throws -> Line? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                lineNumber += 1
                if let parsed = parse(line) { return parsed }
                continue
            }
            if buffer.count - start > Self.maximumLength {
                lineNumber += 1
                let reported = lineNumber
                try skipToNewline()
                return .invalid(line: reported, reason: "is longer than \(Self.maximumLength) bytes")
            }
            if endOfInput {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                if let parsed = parse(line) { return parsed }
                return nil
            }
            try fill()
        }
    }

    private func parse(_ bytes: ArraySlice<UInt8>) -> Line? {
        var bytes = bytes
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { return nil }
        if bytes.count > Self.maximumLength {
            return .invalid(line: lineNumber, reason: "is longer than \(Self.maximumLength) bytes")
        }
        guard !bytes.contains(0) else { return .invalid(line: lineNumber, reason: "contains a NUL byte") }
        let characters = bytes.map { CChar(bitPattern: $0) } + [0]
        return .path(characters.withUnsafeBufferPointer { FilePath(platformString: $0.baseAddress!) })
    }

    /// Reads more input, keeping only what is not yet returned.
    private mutating func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let previous = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunkSize))
        let count = try buffer.withUnsafeMutableBytes { raw in
            try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[previous...]), retryOnInterrupt: true)
        }
        buffer.removeLast(chunkSize - count)
        if count == 0 { endOfInput = true }
    }

    /// Drops the rest of an overlong line, through its newline.
    private mutating func skipToNewline() throws {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                start = newline + 1
                return
            }
            buffer.removeAll(keepingCapacity: true)
            start = 0
            if endOfInput { return }
            try fill()
        }
    }
}
