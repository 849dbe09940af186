/// What a plugin is: its name, version, what it needs from earlier stages and what it adds.
///
/// Like a component registry entry, the descriptor lets siftd validate a pipeline before
/// any document flows: every `requires` entry must be provided by an earlier stage.
public struct PluginDescriptor: Sendable {
    /// The registered name, used in configuration (`kind:`) and as the default stage name.
    public var name: String
    /// The plugin's own version, recorded in every result.
    public var version: String
    /// One line saying what the plugin does.
    public var summary: String
    /// Capabilities that earlier stages must provide.
    public var requires: [String]
    /// Capabilities this plugin provides: the members of its annotations, each stored in a result
    /// as `annotations.<capability>`. No two stages of a pipeline may provide the same one.
    public var provides: [String]
    /// The options the plugin accepts.
    public var options: [PluginOptionSpec]

    /// Describes a plugin.
    public init(
        name: String,
        version: String,
        summary: String,
        requires: [String] = [],
        provides: [String],
        options: [PluginOptionSpec] = []
    ) {
        self.name = name
        self.version = version
        self.summary = summary
        self.requires = requires
        self.provides = provides
        self.options = options
    }

    /// Validates configured option values against the declarations and fills in defaults.
    /// - Throws: ``PluginError`` naming the first unknown, missing or ill-typed key.
    public func resolveOptions(_ configured: [String: JSONValue]) throws -> PluginOptions {
        let declared = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for key in configured.keys.sorted() where declared[key] == nil {
            let known = options.map(\.name).sorted().joined(separator: ", ")
            throw PluginError(
                .invalidOption,
                "unknown option '\(key)'" + (known.isEmpty ? " (the plugin takes no options)" : " (known: \(known))")
            )
        }
        var resolved: [String: JSONValue] = [:]
        for spec in options {
            if let value = configured[spec.name] {
                resolved[spec.name] = try spec.validate(value)
            } else if let value = spec.defaultValue {
                resolved[spec.name] = value
            } else {
                throw PluginError(.invalidOption, "option '\(spec.name)' is required (\(spec.kind))")
            }
        }
        return PluginOptions(resolved)
    }
}
