import SiftPluginAPI

/// A built stage: a processor with its effective descriptor and settings.
public struct PipelineStage: Sendable {
    /// The stage's configuration.
    public var configuration: StageConfiguration
    /// What the stage's plugin declares (for external plugins, what the child declared).
    public var descriptor: PluginDescriptor
    /// The validated options.
    public var options: PluginOptions
    /// The stage's processor.
    public var instance: PluginInstance

    /// The stage's name.
    public var name: String { configuration.name }
}
