/// Why an input was set aside, written as `failed/<name>.error.json` beside it.
public struct FailureRecord: Codable, Sendable {
    public var schemaVersion: Int
    public var siftdVersion: String
    public var documentID: String
    public var instance: String
    /// The input's name as it was dropped.
    public var name: String
    /// The input's name in `failed/` (differs when the name was taken).
    public var failedName: String
    /// `ingest`, `pipeline` or `output`.
    public var stage: String
    /// The stage that failed, for pipeline failures.
    public var plugin: String?
    /// A stable error code.
    public var code: String
    /// What went wrong, for people.
    public var message: String
    /// When it failed (RFC 3339, UTC).
    public var time: String
    /// The input's SHA-256, when it could be read.
    public var sha256: String?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case siftdVersion = "siftd_version"
        case documentID = "document_id"
        case failedName = "failed_name"
        case instance, name, stage, plugin, code, message, time, sha256
    }
}
