import Crypto
import Foundation
import SiftPluginAPI
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Reads an input file safely and turns it into an ``IngestedDocument``.
///
/// The file is opened with `O_NOFOLLOW` (a symbolic link is refused, never followed), must be a
/// regular file with one link (unless hard links are allowed), non-empty and within the size
/// limit; its format comes from the extension, or from the content when there is none. Every
/// parser it runs is linear in the input, recurses on nothing and checks for cancellation.
public struct DocumentIngestor: Sendable {
    /// The bounds inputs are read within.
    public var limits: IngestionLimits

    /// The largest input accepted, in bytes.
    public var maxBytes: Int { limits.maxBytes }

    /// Creates an ingestor.
    public init(limits: IngestionLimits) {
        self.limits = limits
    }

    /// Creates an ingestor with default limits but for the size.
    public init(maxBytes: Int) {
        self.init(limits: IngestionLimits(maxBytes: maxBytes))
    }

    /// Reads the file at `path`, reporting `name` as its name.
    public func ingest(path: FilePath, name: String) throws -> IngestedDocument {
        let bytes = try readBytes(path)
        return try ingest(bytes: bytes, name: name)
    }

    /// Ingests bytes already read.
    public func ingest(bytes: [UInt8], name: String) throws -> IngestedDocument {
        guard !bytes.isEmpty else { throw SiftError(.emptyInput, "the file is empty") }
        guard bytes.count <= maxBytes else {
            throw SiftError(.inputTooLarge, "the file has \(bytes.count) bytes, more than the limit of \(maxBytes)")
        }
        let digest = SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        let fileExtension = FilePath(name).extension
        var format: InputFormat?
        if let fileExtension {
            format = InputFormat(fileExtension: fileExtension)
            if format == nil {
                if let kind = BinarySignature.detect(bytes) {
                    throw SiftError(.unsupportedFormat, "unsupported format '.\(fileExtension)': binary content (\(kind))")
                }
                throw SiftError(
                    .unsupportedFormat,
                    "unsupported format '.\(fileExtension)' (siftd reads .txt, .md, .html, .htm and .json)"
                )
            }
        }
        let decoded = try TextDecoder.decode(bytes)
        let resolvedFormat = format ?? InputFormat.sniff(decoded.text[...])
        var document = IngestedDocument(
            name: name, size: bytes.count, sha256: digest, format: resolvedFormat, encoding: decoded.encoding,
            title: nil, text: "", metadata: [:]
        )
        switch resolvedFormat {
        case .text:
            document.text = normalizedNewlines(decoded.text)
        case .markdown:
            document.text = normalizedNewlines(decoded.text)
            document.title = markdownTitle(document.text)
        case .html:
            let extraction = try HTMLTextExtractor().extract(decoded.text, maxDepth: limits.maxHTMLDepth)
            document.text = extraction.text
            document.title = extraction.title
            document.metadata = extraction.metadata
        case .json:
            try readJSON(decoded.text, into: &document)
        }
        guard document.text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw SiftError(.emptyInput, "the \(resolvedFormat.rawValue) input holds no text")
        }
        return document
    }

    private func readBytes(_ path: FilePath) throws -> [UInt8] {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(path, .readOnly, options: [.noFollow, .closeOnExec, .nonBlocking])
        } catch Errno.tooManySymbolicLinkLevels {
            throw SiftError(.notRegularFile, "the input is a symbolic link; siftd never follows links in the inbox")
        } catch {
            throw SiftError(.io, "cannot open \(path): \(error)")
        }
        return try descriptor.closeAfter {
            var status = stat()
            guard fstat(descriptor.rawValue, &status) == 0 else {
                throw SiftError(.io, "cannot stat \(path): \(Errno(rawValue: errno))")
            }
            guard status.st_mode & S_IFMT == S_IFREG else {
                throw SiftError(.notRegularFile, "the input is not a regular file")
            }
            guard status.st_nlink <= 1 || limits.allowHardLinks else {
                throw SiftError(
                    .hardLinked,
                    "the input has \(status.st_nlink) hard links; siftd reads only files with one, so that a link cannot make it publish a file it should not read (allow_hard_links: true reads them)"
                )
            }
            let size = Int(status.st_size)
            guard size > 0 else { throw SiftError(.emptyInput, "the file is empty") }
            guard size <= maxBytes else {
                throw SiftError(.inputTooLarge, "the file has \(size) bytes, more than the limit of \(maxBytes)")
            }
            var bytes = [UInt8](repeating: 0, count: size + 1)
            var filled = 0
            while filled < bytes.count {
                let count = try bytes.withUnsafeMutableBytes { buffer in
                    try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                }
                if count == 0 { break }
                filled += count
            }
            guard filled <= maxBytes else {
                throw SiftError(.inputTooLarge, "the file grew past the limit of \(maxBytes) bytes while being read")
            }
            return Array(bytes[0..<filled])
        }
    }

    private func readJSON(_ text: String, into document: inout IngestedDocument) throws {
        try Self.checkJSONDepth(text, limit: limits.maxJSONDepth)
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw SiftError(.malformedInput, "malformed JSON: \(Self.describe(error))")
        }
        guard let object = value.objectValue else {
            throw SiftError(.malformedInput, "a JSON input must be an object with a \"text\" member")
        }
        guard let body = object["text"]?.stringValue else {
            throw SiftError(.malformedInput, "the JSON object has no string member \"text\"")
        }
        document.text = normalizedNewlines(body)
        if let title = object["title"] {
            guard let string = title.stringValue else {
                throw SiftError(.malformedInput, "the JSON member \"title\" must be a string")
            }
            document.title = string.isEmpty ? nil : string
        }
        for key in ["url", "published"] {
            guard let member = object[key] else { continue }
            guard let string = member.stringValue else {
                throw SiftError(.malformedInput, "the JSON member \"\(key)\" must be a string")
            }
            document.metadata[key] = string
        }
    }

    /// Fails JSON nested deeper than `limit` before any parser sees it: one pass, no recursion.
    static func checkJSONDepth(_ text: String, limit: Int) throws {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit {
                    throw SiftError(
                        .limitExceeded,
                        "the JSON nests arrays and objects deeper than \(limit) levels (the limit is max_json_depth)"
                    )
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0.localizedDescription)" }) ?? context.debugDescription
        }
        return "\(error)"
    }

    private func normalizedNewlines(_ text: String) -> String {
        // Searched in the bytes in place (the UTF-8 view's iterator takes a byte at a time).
        var text = text
        guard text.withUTF8({ $0.contains(UInt8(ascii: "\r")) }) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    private func markdownTitle(_ text: String) -> String? {
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("# ") {
                return String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            }
            if !trimmed.isEmpty { return nil }
        }
        return nil
    }
}

extension DocumentIngestor {
    /// Reads and extracts the file at `path` within `timeout`: the parsers check for cancellation
    /// as they go, so an input that takes too long fails with `.timedOut` shortly after the timeout.
    public func ingest(path: FilePath, name: String, timeout: Duration) async throws -> IngestedDocument {
        switch try await TimeLimit.run(timeout, { try self.ingest(path: path, name: name) }) {
        case .finished(let document): return document
        case .timedOut:
            throw SiftError(.timedOut, "reading and extracting the input took longer than \(timeout.formatted) (ingest_timeout_ms)")
        }
    }
}
