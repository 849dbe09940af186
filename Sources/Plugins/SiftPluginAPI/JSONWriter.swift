/// Serialises a ``JSONValue`` to UTF-8 in one pass, byte for byte as Foundation's `JSONEncoder`
/// does with `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` for ``Style/pretty``),
/// at a fraction of its cost: the encoder goes through `Codable`'s containers and boxes every value.
public struct JSONWriter: Sendable {
    /// How the output is laid out.
    public enum Style: Sendable {
        /// On one line, no spaces.
        case compact
        /// Indented by two spaces, one member per line, `"key" : value`.
        case pretty
    }

    /// The layout.
    public let style: Style

    /// Creates a writer.
    public init(style: Style) {
        self.style = style
    }

    /// The UTF-8 of `value`, with no newline at the end.
    /// - Throws: ``JSONWriterError`` for a number JSON cannot hold (NaN, infinity), or nesting
    ///   deeper than ``maximumDepth``.
    public func serialize(_ value: JSONValue) throws(JSONWriterError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        try write(value, into: &output)
        return output
    }

    /// Appends the UTF-8 of `value` to `output`.
    public func write(_ value: JSONValue, into output: inout [UInt8]) throws(JSONWriterError) {
        try write(value, depth: 0, into: &output)
    }

    /// Deeper nesting is refused rather than followed: the writer recurses once per level.
    public static let maximumDepth = 512

    private func write(_ value: JSONValue, depth: Int, into output: inout [UInt8]) throws(JSONWriterError) {
        guard depth <= Self.maximumDepth else {
            throw JSONWriterError(.tooDeep, "a value nested more than \(Self.maximumDepth) levels deep")
        }
        switch value {
        case .null: output.append(contentsOf: Self.null)
        case .bool(let value): output.append(contentsOf: value ? Self.true : Self.false)
        case .int(let value): Self.writeInteger(value, into: &output)
        case .double(let value): try Self.writeDouble(value, into: &output)
        case .string(let value): Self.writeString(value, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1, into: &output)
                try write(element, depth: depth + 1, into: &output)
            }
            close(UInt8(ascii: "]"), empty: elements.isEmpty, depth: depth, into: &output)
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            var first = true
            // The members sorted as pairs: looking each key up again would hash it.
            for (key, value) in members.sorted(by: { Self.precedes($0.key, $1.key) }) {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                newline(depth + 1, into: &output)
                Self.writeString(key, into: &output)
                if style == .pretty {
                    output.append(contentsOf: Self.prettyColon)
                } else {
                    output.append(UInt8(ascii: ":"))
                }
                try write(value, depth: depth + 1, into: &output)
            }
            close(UInt8(ascii: "}"), empty: members.isEmpty, depth: depth, into: &output)
        }
    }

    /// Keys in the order of their UTF-8 bytes (the order of their scalars), as `JSONEncoder` sorts them.
    private static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        // Over the bytes in place where both strings are contiguous (native ones are), not
        // through the UTF-8 views' iterators.
        let compared = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right -> Bool in
                for index in 0..<min(left.count, right.count) where left[index] != right[index] { return left[index] < right[index] }
                return left.count < right.count
            }
        }
        return (compared ?? nil) ?? lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private func newline(_ depth: Int, into output: inout [UInt8]) {
        guard style == .pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// An empty container is printed as `JSONEncoder` prints it: `[\n\n]` when pretty.
    private func close(_ bracket: UInt8, empty: Bool, depth: Int, into output: inout [UInt8]) {
        if empty && style == .pretty { output.append(UInt8(ascii: "\n")) }
        newline(depth, into: &output)
        output.append(bracket)
    }

    private static let null = Array("null".utf8)
    private static let `true` = Array("true".utf8)
    private static let `false` = Array("false".utf8)
    private static let prettyColon = Array(" : ".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeInteger(_ value: Int, into output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            repeat {
                digits[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { output.append(digits[index]) }
        }
    }

    /// The shortest form that reads back as the same double, without a trailing `.0`.
    static func writeDouble(_ value: Double, into output: inout [UInt8]) throws(JSONWriterError) {
        guard value.isFinite else {
            throw JSONWriterError(.nonFiniteNumber, "\(value) is not a number JSON can hold")
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        output.append(contentsOf: text.utf8)
    }

    /// Whether one of eight bytes is a control character, `"` or `\\` (a byte below 0x20, or
    /// equal to one of the two: the usual tests for a zero or a smaller byte in a word, exact
    /// about whether there is one).
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        return (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs != 0
    }

    /// A string in quotes: `"` and `\` escaped, control characters as `\n`, `\t` … or `\u00XX`.
    static func writeString(_ value: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                // Eight bytes at a time while none needs escaping (most of a text).
                if index + 8 <= bytes.count,
                    !mayNeedEscaping(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
                {
                    index += 8
                    continue
                }
                let byte = bytes[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<(index - 1)]))
                runStart = index
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0xF)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// Why a value could not be written as JSON.
public struct JSONWriterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// NaN or an infinity: JSON has no such number.
        case nonFiniteNumber = "non_finite_number"
        /// Arrays and objects nested deeper than ``JSONWriter/maximumDepth``.
        case tooDeep = "too_deep"
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
