/// A plugin as registered with siftd: its descriptor and how to make a stage from it.
public struct PluginRegistration: Sendable {
    /// What the plugin is.
    public var descriptor: PluginDescriptor
    /// Creates a stage's processor; called at start-up and on every reload.
    ///
    /// May return a different descriptor for the stage (external plugins learn theirs from
    /// the child's handshake); `nil` keeps the registered one.
    public var makeInstance: @Sendable (PluginContext) async throws -> PluginInstance
    /// Whether each stage learns its requirements and capabilities only when it is made
    /// (external plugins declare theirs in their handshake), so they cannot be checked earlier.
    public var declaresAtRuntime: Bool

    /// Registers a plugin whose descriptor is fixed.
    public init(
        descriptor: PluginDescriptor,
        makeProcessor: @escaping @Sendable (PluginContext) async throws -> any DocumentProcessor
    ) {
        self.descriptor = descriptor
        self.declaresAtRuntime = false
        self.makeInstance = { context in
            PluginInstance(processor: try await makeProcessor(context), descriptor: nil)
        }
    }

    /// Registers a plugin whose stages may declare their own requirements.
    public init(
        descriptor: PluginDescriptor,
        declaresAtRuntime: Bool,
        makeInstance: @escaping @Sendable (PluginContext) async throws -> PluginInstance
    ) {
        self.descriptor = descriptor
        self.declaresAtRuntime = declaresAtRuntime
        self.makeInstance = makeInstance
    }
}

/// A processor made for one stage, with the descriptor it declares if it differs from the registered one.
public struct PluginInstance: Sendable {
    /// The stage's processor.
    public var processor: any DocumentProcessor
    /// The stage's own descriptor, or `nil` for the registered one.
    public var descriptor: PluginDescriptor?
    /// Stops the processor's resources (child processes); called when a pipeline is retired.
    public var shutdown: @Sendable () async -> Void

    /// Creates an instance.
    public init(
        processor: any DocumentProcessor,
        descriptor: PluginDescriptor?,
        shutdown: @escaping @Sendable () async -> Void = {}
    ) {
        self.processor = processor
        self.descriptor = descriptor
        self.shutdown = shutdown
    }
}
