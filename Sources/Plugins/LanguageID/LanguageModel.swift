import Foundation

/// A trained language-identification model: for every feature, the log-probability of seeing
/// it in each language where it is frequent, and per language and feature kind a floor for the rest.
///
/// Stored as one open-addressed hash table, so that loading is reading the file: no parsing,
/// no allocation per entry.
public struct LanguageModel: Sendable {
    /// The ISO 639-1 codes of the languages, in model order.
    public let languages: [String]
    /// `floors[kind * languages.count + language]`: the log-probability of an unlisted feature.
    let floors: [Float]
    /// Hash-table keys (0 = empty slot), linear probing from ``slot(for:capacity:)``.
    let keys: [UInt32]
    /// For each slot, the offset of its postings.
    let offsets: [UInt32]
    /// Postings: a count, then that many (language, quantised minus-log-probability) pairs.
    let postings: [UInt8]

    /// The quantisation step of stored log-probabilities, in nats.
    static let step: Float = 0.1
    static let magic = Array("SIFTLID2".utf8)

    init(languages: [String], floors: [Float], keys: [UInt32], offsets: [UInt32], postings: [UInt8]) {
        self.languages = languages
        self.floors = floors
        self.keys = keys
        self.offsets = offsets
        self.postings = postings
    }

    /// The postings offset of a feature, if the model knows it.
    @inline(__always)
    static func lookup(_ key: UInt32, keys: UnsafeBufferPointer<UInt32>, offsets: UnsafeBufferPointer<UInt32>) -> Int? {
        var slot = slot(for: key, capacity: keys.count)
        while true {
            let stored = keys[slot]
            if stored == key { return Int(offsets[slot]) }
            if stored == 0 { return nil }
            slot += 1
            if slot == keys.count { slot = 0 }
        }
    }

    /// Where probing for `key` starts: the mixed hash scaled into the table (any capacity works).
    @inline(__always)
    static func slot(for key: UInt32, capacity: Int) -> Int {
        Int((UInt64(key &* 2_654_435_761) &* UInt64(capacity)) >> 32)
    }

    /// The model as bytes.
    public func serialized() -> [UInt8] {
        var bytes = Self.magic
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        append(UInt32(languages.count))
        for code in languages {
            let utf8 = Array(code.utf8)
            append(UInt8(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        for floor in floors { append(floor.bitPattern) }
        append(UInt32(keys.count))
        for key in keys { append(key) }
        for offset in offsets { append(offset) }
        append(UInt32(postings.count))
        bytes.append(contentsOf: postings)
        return bytes
    }

    /// Reads a model.
    /// - Throws: ``LanguageModelError`` when the bytes are not a model.
    public init(bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard let magic = reader.take(8), Array(magic) == Self.magic else { throw LanguageModelError("not a siftd language model") }
        let languageCount = Int(try reader.integer(UInt32.self))
        var languages: [String] = []
        for _ in 0..<languageCount {
            let length = Int(try reader.integer(UInt8.self))
            guard let code = reader.take(length) else { throw LanguageModelError("truncated language list") }
            languages.append(String(decoding: code, as: UTF8.self))
        }
        var floors: [Float] = []
        for _ in 0..<(languageCount * LanguageFeatures.kinds.count) {
            floors.append(Float(bitPattern: try reader.integer(UInt32.self)))
        }
        let capacity = Int(try reader.integer(UInt32.self))
        guard capacity > 0 else { throw LanguageModelError("bad table capacity") }
        let keys = try reader.array(UInt32.self, count: capacity)
        let offsets = try reader.array(UInt32.self, count: capacity)
        let postingCount = Int(try reader.integer(UInt32.self))
        guard let postings = reader.take(postingCount) else { throw LanguageModelError("truncated postings") }
        self.init(languages: languages, floors: floors, keys: keys, offsets: offsets, postings: Array(postings))
    }

    /// Reads a model file.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: Array(try Data(contentsOf: url)))
    }
}

/// A model file that cannot be read.
public struct LanguageModelError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, position + count <= bytes.count else { return nil }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let slice = take(MemoryLayout<T>.size) else { throw LanguageModelError("truncated model") }
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: slice) }
        return T(littleEndian: value)
    }

    mutating func array<T: FixedWidthInteger>(_ type: T.Type, count: Int) throws -> [T] {
        guard let slice = take(count * MemoryLayout<T>.size) else { throw LanguageModelError("truncated model") }
        var result = [T](repeating: 0, count: count)
        result.withUnsafeMutableBytes { $0.copyBytes(from: slice) }
        if T(littleEndian: 1) != 1 { result = result.map { T(littleEndian: $0) } }
        return result
    }
}
