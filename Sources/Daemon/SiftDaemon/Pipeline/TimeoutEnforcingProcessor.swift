import SiftPluginAPI

/// A processor that applies the stage's timeout itself instead of being raced against it.
///
/// ``Pipeline`` passes such a processor the stage's timeout and only cancels it when the
/// pipeline's own task is cancelled. An external stage needs this: a document waiting for a
/// busy plugin process must not use up its time, nor kill the process when the time runs out.
protocol TimeoutEnforcingProcessor: DocumentProcessor {
    /// Processes one document, failing with a `.timedOut` ``PluginError`` when it takes longer than `timeout`.
    func process(_ document: Document, timeout: Duration) async throws -> [String: JSONValue]
}
