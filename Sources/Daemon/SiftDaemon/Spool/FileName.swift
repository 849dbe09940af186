import Crypto
import SiftSystemd

/// File names as siftd derives, shows and repairs them.
///
/// A Linux file name is any byte string of up to 255 bytes without `/` or NUL. siftd works with
/// names as strings: a name that is not UTF-8 is renamed in the inbox to its escaped form (each
/// byte that is not part of valid UTF-8 written as `\xHH`) before it is processed, and every name
/// siftd derives (`<name>.json`, `<name>.error.json`, `<name>.2.txt`) is shortened, with a digest
/// of the whole name, to fit in 255 bytes.
enum FileName {
    /// The longest file name Linux file systems accept, in bytes.
    static let maximumBytes = 255

    /// The name's bytes as a string, when they are valid UTF-8.
    static func decoded(_ bytes: some Collection<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The bytes as a string with every byte outside valid UTF-8 written as `\xHH`.
    static func escaped(_ bytes: [UInt8]) -> String {
        var result = ""
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(lead: bytes[index])
            if length > 0, index + length <= bytes.count,
                let scalar = String(validating: bytes[index..<index + length], as: UTF8.self)
            {
                result += scalar
                index += length
            } else {
                result += "\\x" + hex(bytes[index])
                index += 1
            }
        }
        return result
    }

    /// The name with control characters (and backslashes, unless kept) escaped, for log lines and
    /// status text: a newline in a name never splits a line.
    static func printable(_ name: String, keepingBackslashes: Bool = false) -> String {
        PrintableText.escaping(name, keepingBackslashes: keepingBackslashes)
    }

    /// `name` followed by `suffix`, shortened when together they would pass 255 bytes: the name's
    /// start is kept (cut at a character boundary), then `~` and twelve hex digits of the SHA-256 of
    /// the whole name, then its extension if short, then `suffix`.
    static func fitted(_ name: String, suffix: String = "") -> String {
        guard name.utf8.count + suffix.utf8.count > maximumBytes else { return name + suffix }
        let digest = SHA256.hash(data: Array(name.utf8)).prefix(6).map(hex).joined()
        var extensionPart = ""
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let candidate = String(name[dot...])
            if candidate.utf8.count <= 16 { extensionPart = candidate }
        }
        let tail = "~" + digest + extensionPart + suffix
        let budget = max(0, maximumBytes - tail.utf8.count)
        var stem = String.UnicodeScalarView()
        var used = 0
        for scalar in name.unicodeScalars {
            let width = UTF8.width(scalar)
            guard used + width <= budget else { break }
            stem.append(scalar)
            used += width
        }
        return String(stem) + tail
    }

    private static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
    }
}
