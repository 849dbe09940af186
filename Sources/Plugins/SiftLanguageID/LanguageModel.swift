import Foundation
import SiftTextToolkit

/// A trained language-identification model: for every feature, how much more likely it is in
/// each language where it is frequent than an unlisted feature of that language, and per language
/// and feature kind the cost of an unlisted feature.
///
/// Stored as one open-addressed hash table, so that loading is reading the file: no parsing,
/// no allocation per entry.
public struct LanguageModel: Sendable {
    /// The ISO 639-1 codes of the languages, in model order (a code may appear twice: Serbian is
    /// one class per alphabet).
    public let languages: [String]
    /// `floorCosts[kind * languages.count + language]`: minus the log-probability of an unlisted
    /// feature, in ``step`` units.
    let floorCosts: [Int32]
    /// How text is read.
    public let scalars: LanguageScalarTable
    /// Hash-table slots: key in the low 32 bits (0 = empty), and in the high 32 bits either the
    /// postings offset or, for features of one or two languages, the postings themselves
    /// (``inlineFlag``: six bits of language and eight of gain each, ``inlineSecond`` when two),
    /// which saves a second memory access for most features; Robin Hood linear probing from
    /// ``slot(for:capacity:)``.
    let slots: [UInt64]
    /// Postings: a count and that many (language, gain) pairs, or ``denseMarker`` and one gain per
    /// language (0 = unlisted). A gain is the floor cost minus the feature's cost, at least 1.
    let postings: [UInt8]

    /// The quantisation step of stored log-probabilities, in nats.
    public static let step: Float = 0.1
    static let denseMarker: UInt8 = 0xFF
    static let inlineFlag: UInt32 = 0x8000_0000
    static let inlineSecond: UInt32 = 0x4000_0000

    /// The postings of a feature packed into a slot's high half, when they fit.
    static func inlinePostings(_ entries: [(language: UInt8, gain: UInt8)], languageCount: Int) -> UInt32? {
        guard languageCount <= 64, (1...2).contains(entries.count) else { return nil }
        var value = inlineFlag | UInt32(entries[0].language) | UInt32(entries[0].gain) << 6
        if entries.count == 2 {
            value |= inlineSecond | UInt32(entries[1].language) << 14 | UInt32(entries[1].gain) << 20
        }
        return value
    }
    static let magic = Array("SIFTLID5".utf8)

    init(languages: [String], floorCosts: [Int32], scalars: LanguageScalarTable, slots: [UInt64], postings: [UInt8]) {
        self.languages = languages
        self.floorCosts = floorCosts
        self.scalars = scalars
        self.slots = slots
        self.postings = postings
    }

    /// The slot value (postings offset or inline postings) of a feature, if the model knows it.
    ///
    /// The table is built by Robin Hood insertion: along a probe sequence, every resident is at
    /// least as far from its home slot as the sought key would be at that point, so meeting one
    /// nearer to its home proves the key absent. Absent features, common in real text, cost a
    /// probe or two rather than a walk to the next empty slot.
    @inline(__always)
    static func lookup(_ key: UInt32, slots: UnsafeBufferPointer<UInt64>) -> UInt32? {
        let home = slot(for: key, capacity: slots.count)
        return lookup(key, from: home, first: slots[home], slots: slots)
    }

    /// ``lookup(_:slots:)`` when the home slot has already been read (`first`).
    @inline(__always)
    static func lookup(_ key: UInt32, from home: Int, first: UInt64, slots: UnsafeBufferPointer<UInt64>) -> UInt32? {
        let capacity = slots.count
        var stored = first
        var slot = home
        var distance = 0
        while true {
            let storedKey = UInt32(truncatingIfNeeded: stored)
            if storedKey == key { return UInt32(stored >> 32) }
            if storedKey == 0 || Self.distance(of: storedKey, at: slot, capacity: capacity) < distance { return nil }
            slot += 1
            if slot == capacity { slot = 0 }
            distance += 1
            stored = slots[slot]
        }
    }

    /// How far `slot` is from the home slot of `key`.
    @inline(__always)
    static func distance(of key: UInt32, at slot: Int, capacity: Int) -> Int {
        let home = Self.slot(for: key, capacity: capacity)
        return slot >= home ? slot - home : slot + capacity - home
    }

    /// Where probing for `key` starts: the mixed hash scaled into the table (any capacity works).
    @inline(__always)
    static func slot(for key: UInt32, capacity: Int) -> Int {
        Int((UInt64(key &* 2_654_435_761) &* UInt64(capacity)) >> 32)
    }

    /// The model as bytes (little-endian).
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
        for cost in floorCosts { append(cost) }
        append(UInt32(scalars.entries.count))
        for entry in scalars.entries { append(entry) }
        append(UInt32(scalars.expansions.count))
        for letter in scalars.expansions { append(letter) }
        // The table is half empty: the file has a bitmap of the occupied slots and their values only.
        append(UInt32(slots.count))
        var bitmap = [UInt8](repeating: 0, count: (slots.count + 7) / 8)
        for (index, slot) in slots.enumerated() where slot != 0 { bitmap[index / 8] |= 1 << (index % 8) }
        bytes.append(contentsOf: bitmap)
        for slot in slots where slot != 0 { append(slot) }
        append(UInt32(postings.count))
        bytes.append(contentsOf: postings)
        return bytes
    }

    /// Reads a model.
    /// - Throws: ``LanguageModelError`` when the bytes are not a model.
    public init(bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard let magic = reader.take(8), Array(magic) == Self.magic else {
            throw LanguageModelError("not a siftd language model (format 5)")
        }
        let languageCount = Int(try reader.integer(UInt32.self))
        guard (1...250).contains(languageCount) else { throw LanguageModelError("bad language count \(languageCount)") }
        var languages: [String] = []
        for _ in 0..<languageCount {
            let length = Int(try reader.integer(UInt8.self))
            guard let code = reader.take(length) else { throw LanguageModelError("truncated language list") }
            languages.append(String(decoding: code, as: UTF8.self))
        }
        let floorCosts = try reader.array(Int32.self, count: languageCount * LanguageFeatures.kinds.count)
        let entryCount = Int(try reader.integer(UInt32.self))
        guard entryCount == 0x1_0000 else { throw LanguageModelError("bad character table") }
        let entries = try reader.array(UInt32.self, count: entryCount)
        let expansions = try reader.array(UInt32.self, count: Int(try reader.integer(UInt32.self)))
        let capacity = Int(try reader.integer(UInt32.self))
        guard capacity > 0 else { throw LanguageModelError("bad table capacity") }
        guard let bitmap = reader.take((capacity + 7) / 8) else { throw LanguageModelError("truncated table") }
        let occupied = bitmap.reduce(0) { $0 + $1.nonzeroBitCount }
        // The occupied slots' values go straight from the file's bytes into the table (no copy between).
        guard let values = reader.take(occupied * 8) else { throw LanguageModelError("truncated table") }
        let slots = values.withUnsafeBytes { values in
            [UInt64](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
                buffer.initialize(repeating: 0)
                var next = 0
                for (byteIndex, byte) in bitmap.enumerated() where byte != 0 {
                    var bits = byte
                    while bits != 0 {
                        let index = byteIndex * 8 + bits.trailingZeroBitCount
                        if index < capacity { buffer[index] = UInt64(littleEndian: values.loadUnaligned(fromByteOffset: next * 8, as: UInt64.self)) }
                        next += 1
                        bits &= bits - 1
                    }
                }
                initialized = capacity
            }
        }
        let postingCount = Int(try reader.integer(UInt32.self))
        guard postingCount > 0, postingCount < Int(Self.inlineFlag) else { throw LanguageModelError("bad postings size") }
        let postings = try reader.array(UInt8.self, count: postingCount)
        guard reader.position == bytes.count else { throw LanguageModelError("trailing bytes after the model") }
        // Every reference must stay inside the model: a damaged file fails here, not in detection.
        for entry in entries where entry & LanguageScalarTable.expansionFlag != 0 {
            let start = Int(entry & ~LanguageScalarTable.expansionFlag)
            guard start < expansions.count, start + Int(expansions[start]) < expansions.count else {
                throw LanguageModelError("bad character table")
            }
        }
        guard bitmap.count * 8 == capacity || bitmap.last! >> (capacity % 8) == 0 else { throw LanguageModelError("bad table bitmap") }
        for slot in slots where slot != 0 {
            guard UInt32(truncatingIfNeeded: slot) != 0 else { throw LanguageModelError("bad table entry") }
            let value = UInt32(slot >> 32)
            if value & Self.inlineFlag != 0 {
                guard Int(value & 63) < languageCount, value & Self.inlineSecond == 0 || Int(value >> 14 & 63) < languageCount else {
                    throw LanguageModelError("bad language in postings")
                }
                continue
            }
            let offset = Int(value)
            guard offset < postingCount else { throw LanguageModelError("bad postings offset") }
            let header = postings[offset]
            let length = header == Self.denseMarker ? languageCount : 2 * Int(header)
            guard offset + 1 + length <= postingCount else { throw LanguageModelError("bad postings offset") }
            if header != Self.denseMarker {
                for entry in 0..<Int(header) where Int(postings[offset + 1 + 2 * entry]) >= languageCount {
                    throw LanguageModelError("bad language in postings")
                }
            }
        }
        self.init(
            languages: languages, floorCosts: floorCosts, scalars: LanguageScalarTable(entries: entries, expansions: expansions),
            slots: slots, postings: postings)
    }

    /// Reads a model file.
    /// - Throws: ``LanguageModelError`` when the file cannot be read or is not a model.
    public init(contentsOf url: URL) throws {
        let bytes = try Self.readFile(url.path)
        do {
            try self.init(bytes: bytes)
        } catch let error as LanguageModelError {
            throw LanguageModelError(error.code, "\(url.path): \(error.message)")
        }
    }

    /// The whole file in one read into one buffer (the model is many megabytes: no intermediate copies).
    private static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw LanguageModelError(errno == ENOENT ? .notFound : .unreadable, "cannot open \(path): \(reason)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw LanguageModelError(.unreadable, "\(path) is not a regular file")
        }
        let size = Int(status.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let count = read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    failure = count < 0 ? errno : EIO
                    break
                }
                initialized += count
            }
        }
        guard failure == 0, bytes.count == size else {
            throw LanguageModelError(.unreadable, "cannot read \(path): \(String(cString: strerror(failure == 0 ? EIO : failure)))")
        }
        return bytes
    }
}

/// Why a language model could not be loaded.
public typealias LanguageModelError = ModelError

extension ModelError {
    /// A malformed model.
    init(_ message: String) {
        self.init(.malformed, message)
    }
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
        var result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            adviseHugePages(raw)
            slice.withUnsafeBytes { raw.copyMemory(from: $0) }
            initialized = count
        }
        if T(littleEndian: 1) != 1 { result = result.map { T(littleEndian: $0) } }
        return result
    }
}

/// Asks the kernel for 2 MiB pages over the aligned part of a large buffer, before it is first
/// written: random look-ups across a model of many megabytes otherwise miss the TLB at nearly
/// every feature.
private func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    let hugePage = 2 << 20
    guard let base = buffer.baseAddress, buffer.count >= 2 * hugePage else { return }
    let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: base) + buffer.count) & ~(hugePage - 1)
    guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(pointer, end - start, 14)  // MADV_HUGEPAGE; refused where unsupported, which only costs speed
}
