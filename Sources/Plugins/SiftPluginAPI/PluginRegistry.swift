/// The plugins siftd knows, by name. Registration is explicit; duplicate names are rejected.
public struct PluginRegistry: Sendable {
    /// The registrations in the order they were registered.
    public private(set) var registrations: [PluginRegistration] = []

    /// Creates an empty registry.
    public init() {}

    /// Creates a registry from a list, rejecting duplicates.
    public init(_ registrations: [PluginRegistration]) throws {
        for registration in registrations {
            try register(registration)
        }
    }

    /// Adds a plugin.
    /// - Throws: ``PluginError`` if the name is empty, malformed or already registered.
    public mutating func register(_ registration: PluginRegistration) throws {
        let name = registration.descriptor.name
        guard Self.isValidName(name) else {
            throw PluginError(.invalidOption, "plugin name '\(name)' must be lower-case letters, digits, '-' or '_'")
        }
        guard self[name] == nil else {
            throw PluginError(.invalidOption, "a plugin named '\(name)' is already registered")
        }
        registrations.append(registration)
    }

    /// The registration for `name`, if any.
    public subscript(name: String) -> PluginRegistration? {
        registrations.first { $0.descriptor.name == name }
    }

    /// Whether `name` can name a plugin or a stage: lower-case ASCII letters, digits, `-`, `_`, starting with a letter.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}
