import Logging
import SiftBuiltinPlugins
import SiftPluginAPI

@testable import SiftDaemon

/// Small plugins whose behaviour the pipeline tests control.
enum TestPlugins {
    struct Closure: DocumentProcessor {
        let body: @Sendable (Document) async throws -> [String: JSONValue]
        func process(_ document: Document) async throws -> [String: JSONValue] { try await body(document) }
    }

    static func plugin(
        _ name: String, requires: [String] = [], provides: [String], options: [PluginOptionSpec] = [],
        body: @escaping @Sendable (Document) async throws -> [String: JSONValue]
    ) -> PluginRegistration {
        PluginRegistration(
            descriptor: PluginDescriptor(name: name, version: "0.0.1", summary: name, requires: requires, provides: provides, options: options),
            makeProcessor: { _ in Closure(body: body) }
        )
    }

    /// The registry siftd runs with: the built-in plugins and the `external` kind.
    static func standard() throws -> PluginRegistry {
        try PluginRegistry(BuiltinPlugins.all + [ExternalPlugin.registration])
    }

    static var registry: PluginRegistry {
        try! PluginRegistry([
            plugin("upper", provides: ["upper"], options: [PluginOptionSpec("limit", .integer(1...100), default: 10, summary: "")]) {
                ["upper": .string($0.text.uppercased())]
            },
            plugin("length", requires: ["upper"], provides: ["length"]) { document in
                ["length": .int(document.value(for: "upper")?.stringValue?.count ?? -1)]
            },
            plugin("boom", provides: ["boom"]) { _ in throw PluginError(.processingFailed, "it exploded") },
            plugin("slow", provides: ["slow"]) { _ in
                try await Task.sleep(for: .seconds(30))
                return ["slow": true]
            },
            plugin("liar", provides: ["promised"]) { _ in ["other": 1] },
            plugin("needs-boom", requires: ["boom"], provides: ["after"]) { _ in ["after": true] },
            plugin("chatty", provides: ["said"]) { _ in ["said": 1, "aside": 2] },
            plugin("copycat", provides: ["upper"]) { _ in ["upper": "meow"] },
            plugin("stutter", provides: ["said", "said"]) { _ in ["said": 1] },
            plugin("shouty", provides: ["Loud"]) { _ in ["Loud": 1] },
        ])
    }

    static let logger = Logger(label: "test")

    static func document(_ text: String = "abc") -> Document {
        Document(id: "id", name: "doc.txt", text: text, format: "text")
    }
}
