/// A plugin's validated options: every declared option has a value of its declared type.
public struct PluginOptions: Sendable {
    /// The values by option name.
    public let values: [String: JSONValue]

    /// Wraps already validated values; the daemon builds these with ``PluginDescriptor/resolveOptions(_:)``.
    public init(_ values: [String: JSONValue]) {
        self.values = values
    }

    /// The raw value of an option.
    public subscript(name: String) -> JSONValue? { values[name] }

    /// A string option's value.
    public func string(_ name: String) -> String? { values[name]?.stringValue }
    /// An integer option's value.
    public func int(_ name: String) -> Int? { values[name]?.intValue }
    /// A number option's value.
    public func double(_ name: String) -> Double? { values[name]?.doubleValue }
    /// A boolean option's value.
    public func bool(_ name: String) -> Bool? { values[name]?.boolValue }
    /// A string-list option's value.
    public func strings(_ name: String) -> [String]? {
        values[name]?.arrayValue?.compactMap(\.stringValue)
    }

    /// A declared option's value: the configured one, or else the default declared beside the
    /// option in the plugin's ``PluginDescriptor``, so that the default is written only there.
    /// - Throws: ``PluginError`` with code `invalidOption` when the option has no value of type `T`
    ///   (it is not declared, or is declared without a default and was not configured).
    public func value<T>(_ name: String, as type: T.Type = T.self) throws -> T {
        let raw = values[name]
        let typed: Any? =
            switch type {
            case is Int.Type: raw?.intValue
            case is Double.Type: raw?.doubleValue
            case is Bool.Type: raw?.boolValue
            case is String.Type: raw?.stringValue
            case is [String].Type: raw?.arrayValue.map { $0.compactMap(\.stringValue) }
            default: raw
            }
        guard let value = typed as? T else {
            throw PluginError(.invalidOption, "option '\(name)' has no value of type \(T.self)")
        }
        return value
    }
}
