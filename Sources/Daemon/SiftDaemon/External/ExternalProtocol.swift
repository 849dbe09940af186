import Foundation
import SiftPluginAPI

/// The line protocol between siftd and an external plugin: one JSON object per line.
///
/// siftd → plugin: `{"type":"hello","protocol":1,"siftd":"…","stage":"…"}`, then
/// `{"type":"process","id":N,"document":{…}}` for each document.
/// plugin → siftd: `{"type":"hello","protocol":1,"name":"…","version":"…","requires":[…],"provides":[…]}`,
/// then for each request `{"type":"result","id":N,"annotations":{…}}` or `{"type":"error","id":N,"message":"…"}`.
enum ExternalProtocol {
    static let version = 1

    static func hello(stage: String) -> [UInt8] {
        encode(["type": "hello", "protocol": .int(version), "siftd": .string(SiftVersion.current), "stage": .string(stage)])
    }

    static func request(id: Int, document: Document) -> [UInt8] {
        var metadata: [String: JSONValue] = [:]
        for (key, value) in document.metadata { metadata[key] = .string(value) }
        let documentValue: JSONValue = [
            "id": .string(document.id), "name": .string(document.name),
            "title": document.title.map(JSONValue.string) ?? .null, "text": .string(document.text),
            "format": .string(document.format), "metadata": .object(metadata),
            "annotations": .object(document.annotations),
        ]
        return encode(["type": "process", "id": .int(id), "document": documentValue])
    }

    static func encode(_ value: JSONValue) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: it holds only JSON types.
        return Array((try? encoder.encode(value)) ?? Data("null".utf8)) + [0x0A]
    }

    /// Parses one line into an object, or explains why it is not one.
    static func decode(_ line: [UInt8]) throws -> [String: JSONValue] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line)), let object = value.objectValue else {
            let preview = String(decoding: line.prefix(80), as: UTF8.self)
            throw PluginError(.protocolViolation, "the plugin wrote a line that is not a JSON object: \(preview.debugDescription)")
        }
        return object
    }

    /// Reads the plugin's hello into a descriptor for its stage.
    static func descriptor(fromHello hello: [String: JSONValue]) throws -> PluginDescriptor {
        guard hello["type"] == "hello" else {
            throw PluginError(.protocolViolation, "the plugin's first line must be a hello, got type \(hello["type"]?.description ?? "none")")
        }
        guard hello["protocol"]?.intValue == version else {
            throw PluginError(.protocolViolation, "the plugin speaks protocol \(hello["protocol"]?.description ?? "none"); siftd speaks \(version)")
        }
        guard let name = hello["name"]?.stringValue, !name.isEmpty else {
            throw PluginError(.protocolViolation, "the plugin's hello has no name")
        }
        func strings(_ key: String) throws -> [String] {
            guard let value = hello[key] else { return [] }
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count else {
                throw PluginError(.protocolViolation, "the plugin's hello has a '\(key)' that is not a list of strings")
            }
            return items
        }
        return PluginDescriptor(
            name: name, version: hello["version"]?.stringValue ?? "unknown",
            summary: hello["summary"]?.stringValue ?? "external plugin", requires: try strings("requires"),
            provides: try strings("provides")
        )
    }
}
