import Foundation
import Testing

@testable import SiftDaemon
@testable import SiftPluginAPI

@Suite("JSONWriter: the result files' JSON, as JSONEncoder writes it")
struct JSONWriterTests {
    static let styles: [JSONWriter.Style] = [.compact, .pretty]

    static func encoder(_ style: JSONWriter.Style) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if style == .pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        return encoder
    }

    static let samples: [JSONValue] = [
        .null, true, false, 0, -1, .int(Int.max), .int(Int.min), 3.0, -0.0, 0.1, 1e-7, 1e21, 2.5e15, 123_456_789.123,
        .double(.greatestFiniteMagnitude), .double(.leastNonzeroMagnitude), "", "plain",
        "قال «السراج»: \"لا\" \\ / \u{0}\u{1}\u{8}\u{C}\n\r\t\u{1F}\u{7F}",
        "\u{2028}\u{2029}\u{FEFF} é 😀", [], [:], [[], [:], [[:]]], ["b": 1, "a": [1, "x", nil], "": .object([:])],
        ["a10": 1, "a9": 2, "B": 3, "a": 4, "_x": 5, "é": 6, "ب": 7, "a_b": 8, "ab": 9, "Z": 10],
        ["nested": ["deeper": ["deepest": [1.5, -2, "three", false]]]],
    ]

    @Test("writes each kind of value byte for byte as JSONEncoder", arguments: samples, styles)
    func matchesEncoder(value: JSONValue, style: JSONWriter.Style) throws {
        let written = try JSONWriter(style: style).serialize(value)
        let encoded = Array(try Self.encoder(style).encode(value))
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: encoded, as: UTF8.self))
    }

    @Test("writes random documents byte for byte as JSONEncoder", arguments: styles)
    func matchesEncoderOnRandomValues(style: JSONWriter.Style) throws {
        var generator = SeededGenerator(seed: 16)
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let written = try JSONWriter(style: style).serialize(value)
            let encoded = Array(try Self.encoder(style).encode(value))
            #expect(written == encoded, "\(String(decoding: encoded, as: UTF8.self))")
        }
    }

    @Test("a result record serialises as its Codable form encodes", arguments: [true, false])
    func resultRecord(complete: Bool) throws {
        let record = ResultRecord(
            schemaVersion: 2, siftdVersion: "1.2.3", documentID: "0192-abc", instance: "test", status: complete ? "ok" : "partial",
            source: .init(
                name: "تقرير.txt", size: 512, sha256: String(repeating: "a", count: 64), format: "html", encoding: "utf-8",
                url: complete ? "https://example.com/a/b" : nil, published: complete ? "2020-02-01" : nil),
            title: complete ? "العنوان" : nil, text: "نص\ntext \"quoted\"",
            duplicateOf: complete ? .init(documentID: "0191-def", result: nil) : nil,
            annotations: ["language": ["code": "ar", "confidence": 0.98], "entities": [["text": "ليبيا", "start": 3]]],
            plugins: [
                .init(stage: "text", plugin: "text", version: "1", status: "ok", durationMS: 0.125, error: nil),
                .init(
                    stage: "summary", plugin: "summary", version: "2", status: "failed", durationMS: 12,
                    error: complete ? .init(code: "failed", message: "it broke") : nil),
            ],
            timestamps: .init(received: "2026-11-30T10:00:00.000Z", started: "2026-11-30T10:00:00.001Z", finished: "2026-11-30T10:00:00.002Z")
        )
        for format in [SiftConfiguration.ResultFormat.compact, .pretty] {
            let encoded = Array(try Self.encoder(format == .pretty ? .pretty : .compact).encode(record)) + [0x0A]
            #expect(String(decoding: try record.serialized(format), as: UTF8.self) == String(decoding: encoded, as: UTF8.self))
        }
    }

    @Test("the eight-byte test finds every byte that needs escaping, at every place, among any others")
    func escapeTest() {
        for filler: UInt8 in [0x61, 0xD8, 0x20, 0x7F, 0xFF, 0x21, 0x5B] {
            for byte in UInt8.min...UInt8.max {
                for place in 0..<8 {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[place] = byte
                    let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    #expect(JSONWriter.mayNeedEscaping(word) == (byte < 0x20 || byte == 0x22 || byte == 0x5C))
                }
            }
        }
    }

    @Test("refuses a number JSON cannot hold", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(number: Double) {
        #expect(throws: JSONWriterError.self) { try JSONWriter(style: .compact).serialize(["value": .double(number)]) }
    }

    @Test("refuses nesting deeper than its bound, and writes up to it")
    func depthBound() throws {
        func nested(_ levels: Int) -> JSONValue {
            var value: JSONValue = 1
            for _ in 0..<levels { value = .array([value]) }
            return value
        }
        let deepest = try JSONWriter(style: .compact).serialize(nested(JSONWriter.maximumDepth))
        #expect(deepest.count == 2 * JSONWriter.maximumDepth + 1)
        let error = #expect(throws: JSONWriterError.self) {
            try JSONWriter(style: .compact).serialize(nested(JSONWriter.maximumDepth + 1))
        }
        #expect(error?.code == .tooDeep)
    }

    static func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let kinds = depth >= 4 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &generator))
        case 3:
            let magnitude = Double.random(in: -1...1, using: &generator) * pow(10, Double(Int.random(in: -12...22, using: &generator)))
            return .double(Bool.random(using: &generator) ? magnitude : magnitude.rounded())
        case 4: return .string(randomString(using: &generator))
        case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                members[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    static let alphabet = Array("aZ_09 \"\\/\n\t\u{1}\u{1F}\u{7F}éبة«»😀\u{2028}ـً".unicodeScalars)

    static func randomString(using generator: inout SeededGenerator) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...40, using: &generator) { scalars.append(alphabet.randomElement(using: &generator)!) }
        return String(scalars)
    }
}

/// A SplitMix64 generator: the same values on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
