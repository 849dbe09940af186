import ArgumentParser
import SiftDaemon
import SiftPluginAPI

/// `siftd plugins`: the registered plugins.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the registered plugins with their version, requirements, capabilities and options."
    )

    func run() throws {
        let registry = try SiftDaemonCommands.plugins().registry
        for registration in registry.registrations {
            let descriptor = registration.descriptor
            print("\(descriptor.name) \(descriptor.version)")
            print("  \(descriptor.summary)")
            print("  requires: \(descriptor.requires.isEmpty ? "-" : descriptor.requires.joined(separator: ", "))")
            print("  provides: \(descriptor.provides.isEmpty ? "-" : descriptor.provides.joined(separator: ", "))")
            for option in descriptor.options {
                let fallback = option.defaultValue.map { " (default: \(Self.render($0)))" } ?? " (required)"
                print("  option \(option.name): \(option.kind)\(fallback) — \(option.summary)")
            }
        }
    }

    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): "\"\(string)\""
        case .int(let int): "\(int)"
        case .double(let double): "\(double)"
        case .bool(let bool): "\(bool)"
        case .array(let items): "[" + items.map(render).joined(separator: ", ") + "]"
        case .null: "null"
        case .object: "{…}"
        }
    }
}
