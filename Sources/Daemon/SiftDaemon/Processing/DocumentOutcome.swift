/// How one claimed document ended.
public enum DocumentOutcome: Sendable, Equatable {
    /// Its result is in the outbox under this name.
    case succeeded(result: String, partial: Bool, duplicate: Bool)
    /// It was set aside in `failed/` under this name.
    case failed(name: String, code: String)
    /// The spool could not be written; the claim stays in the work directory for a retry.
    case deferred(reason: String)
}
