import Foundation
import SystemPackage
import Testing

@testable import SiftDaemonCommands

@Suite("Reading a list of paths")
struct PathListReaderTests {
    /// All the lines of `bytes`, read `chunkSize` bytes at a time.
    func lines(_ bytes: [UInt8], chunkSize: Int) throws -> [PathListReader.Line] {
        let directory = try TemporaryDirectory()
        let file = directory.path.appending("list")
        try Data(bytes).write(to: URL(fileURLWithPath: file.string))
        let descriptor = try FileDescriptor.open(file, .readOnly)
        defer { try? descriptor.close() }
        var reader = PathListReader(descriptor, chunkSize: chunkSize)
        var lines: [PathListReader.Line] = []
        while let line = try reader.next() { lines.append(line) }
        return lines
    }

    @Test("lines split across reads come out whole; empty lines and CRs are dropped; the last line needs no newline", arguments: [1, 3, 7, 65_536])
    func boundaries(chunkSize: Int) throws {
        let text = "/a/first.txt\r\n\n\nrelative/second.md\n/third\u{0645}.html"
        #expect(
            try lines(Array(text.utf8), chunkSize: chunkSize) == [
                .path("/a/first.txt"), .path("relative/second.md"), .path("/third\u{0645}.html"),
            ])
    }

    @Test("an overlong line or one with a NUL is reported with its number and skipped, and the next line is read", arguments: [5, 4096, 65_536])
    func badLines(chunkSize: Int) throws {
        let overlong = [UInt8](repeating: 0x78, count: 3 * PathListReader.maximumLength)
        let bytes = Array("one\n".utf8) + overlong + Array("\ntwo\nth\u{0}ree\nfour".utf8)
        let read = try lines(bytes, chunkSize: chunkSize)
        #expect(read.count == 5)
        #expect(read.first == .path("one"))
        #expect(read[1] == .invalid(line: 2, reason: "is longer than 4096 bytes"))
        #expect(read[2] == .path("two"))
        #expect(read[3] == .invalid(line: 4, reason: "contains a NUL byte"))
        #expect(read[4] == .path("four"))
    }

    @Test("a name that is not UTF-8 keeps its bytes")
    func rawBytes() throws {
        let read = try lines([0x2F, 0x74, 0xFF, 0x0A], chunkSize: 2)
        guard case .path(let path) = try #require(read.first) else {
            Issue.record("not a path: \(read)")
            return
        }
        let bytes = path.withPlatformString { pointer in
            Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
        }
        #expect(bytes == [0x2F, 0x74, 0xFF])
    }

    @Test("a list without an end of line, and an empty list")
    func edges() throws {
        #expect(try lines([], chunkSize: 8).isEmpty)
        #expect(try lines(Array("\n\n".utf8), chunkSize: 8).isEmpty)
        #expect(try lines(Array("only".utf8), chunkSize: 8) == [.path("only")])
    }
}
