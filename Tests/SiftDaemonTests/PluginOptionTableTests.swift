import Foundation
import SiftBuiltinPlugins
import SiftDaemon
import SiftPluginAPI
import Testing

/// The README's table of plugin options says what the declarations say.
@Suite("README: the plugin option table")
struct PluginOptionTableTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")
    static let header = ["plugin", "option", "type", "default", "meaning"]

    /// The plugins `siftd` registers: the built-in ones and `external`.
    static let registrations = BuiltinPlugins.all + [ExternalPlugin.registration]

    /// The rows of the README table under ``header``, each a list of trimmed cells.
    static func tableRows() throws -> [[String]] {
        let lines = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        func cells(_ line: Substring) -> [String] {
            line.trimmingCharacters(in: .whitespaces).dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let start = try #require(lines.firstIndex { $0.hasPrefix("|") && cells($0) == header }, "README.md has the option table")
        return lines[(start + 2)...].prefix { $0.hasPrefix("|") }.map(cells)
    }

    /// A default as `siftd plugins` prints it, in code quotes; `required` when there is none.
    static func rendered(_ value: JSONValue?) -> String {
        switch value {
        case nil: "required"
        case .string(let string): "`\"\(string)\"`"
        case .int(let int): "`\(int)`"
        case .double(let double): "`\(double)`"
        case .bool(let bool): "`\(bool)`"
        case let other?: "`\(other)`"
        }
    }

    @Test("every declared option is listed with its type, default and summary, in declaration order, and nothing else")
    func matchesDeclarations() throws {
        let declared = Self.registrations.flatMap { registration in
            registration.descriptor.options.map { option in
                ["`\(registration.descriptor.name)`", "`\(option.name)`", "\(option.kind)", Self.rendered(option.defaultValue), option.summary]
            }
        }
        #expect(try Self.tableRows() == declared)
    }
}
