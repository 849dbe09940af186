public import SiftDaemon
public import SiftPluginAPI

/// What a daemon executable hands to the daemon: the plugins a stage may name and the pipeline
/// run when the configuration names none.
///
/// The daemon core knows no plugin by name; the executable assembles this value (its
/// composition root) and passes it to ``SiftDaemonCommands/main(_:plugins:)``.
public struct DaemonPlugins: Sendable {
    /// The registered plugins, with the `external` plugin kind.
    public let registry: PluginRegistry
    /// The stages run when the configuration has no `pipeline` key.
    public let defaultPipeline: [String]

    /// Registers `registrations` and the `external` plugin kind.
    /// - Throws: ``SiftError`` with code `invalidPipeline` when two registrations share a name
    ///   or the default pipeline names a plugin that is not registered.
    public init(_ registrations: [PluginRegistration], defaultPipeline: [String]) throws {
        let registry = try PluginRegistry(registrations + [ExternalPlugin.registration])
        for name in defaultPipeline where registry[name] == nil {
            throw SiftError(.invalidPipeline, "the default pipeline names '\(name)', which no registered plugin is called")
        }
        self.registry = registry
        self.defaultPipeline = defaultPipeline
    }

    /// A loader that reads the configuration with these plugins.
    public var configurationLoader: ConfigurationLoader {
        ConfigurationLoader(registry: registry, defaultPipeline: defaultPipeline)
    }
}
