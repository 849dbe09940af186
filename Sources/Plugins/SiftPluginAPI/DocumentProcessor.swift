/// The extension point: a processor turns one document into annotations.
///
/// Implementations must be safe to call concurrently for different documents, and should
/// honour task cancellation in long loops: a stage that runs past its timeout is cancelled.
public protocol DocumentProcessor: Sendable {
    /// Processes one document and returns this stage's annotations, keyed by capability.
    ///
    /// The returned object must contain exactly one member for each capability the plugin's
    /// descriptor says it provides, and nothing else: a result stores each member as
    /// `annotations.<capability>`. Throw a ``PluginError`` to fail this document's stage.
    func process(_ document: Document) async throws -> [String: JSONValue]
}
