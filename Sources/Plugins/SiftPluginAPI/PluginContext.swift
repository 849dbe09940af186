public import Logging

/// What a plugin gets when siftd creates a stage from it.
public struct PluginContext: Sendable {
    /// The stage's name in the pipeline (equal to the plugin's name unless configured otherwise).
    public var stageName: String
    /// The stage's validated options.
    public var options: PluginOptions
    /// A logger carrying the stage's metadata.
    public var logger: Logger

    /// Creates a context.
    public init(stageName: String, options: PluginOptions, logger: Logger) {
        self.stageName = stageName
        self.options = options
        self.logger = logger
    }
}
