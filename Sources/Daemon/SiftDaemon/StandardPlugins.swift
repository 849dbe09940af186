import SiftBuiltinPlugins
public import SiftPluginAPI

/// The registry siftd runs with: the built-in plugins and the `external` plugin kind.
public enum StandardPlugins {
    /// Builds the registry; fails only if two registrations share a name.
    public static func registry() throws -> PluginRegistry {
        try PluginRegistry(BuiltinPlugins.all + [ExternalPlugin.registration])
    }
}
