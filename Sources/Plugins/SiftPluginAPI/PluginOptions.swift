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
}
