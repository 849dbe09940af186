import SiftPluginAPI

/// How a stage's failure affects its document.
public enum FailurePolicy: String, Sendable, CaseIterable {
    /// Record the failure in the result; the document still succeeds (status `partial`).
    case `continue`
    /// The document fails and goes to `failed/`.
    case fail
}

/// One stage of the configured pipeline, before it is built.
public struct StageConfiguration: Sendable {
    /// The stage's name, as results' `plugins` reports and the logs call it.
    public var name: String
    /// The registered plugin that implements the stage.
    public var plugin: String
    /// The stage's plugin options, unvalidated.
    public var options: [String: JSONValue]
    /// How long one document may take in this stage.
    public var timeout: Duration
    /// What a failure does to the document.
    public var onError: FailurePolicy

    /// Creates a stage configuration.
    public init(
        name: String, plugin: String? = nil, options: [String: JSONValue] = [:],
        timeout: Duration = .seconds(30), onError: FailurePolicy = .continue
    ) {
        self.name = name
        self.plugin = plugin ?? name
        self.options = options
        self.timeout = timeout
        self.onError = onError
    }
}
