/// An input read, decoded and extracted: what the pipeline works on.
public struct IngestedDocument: Sendable, Equatable {
    /// The input's file name.
    public var name: String
    /// The input's size in bytes.
    public var size: Int
    /// The SHA-256 of the input's bytes, lower-case hex.
    public var sha256: String
    /// The detected format.
    public var format: InputFormat
    /// The detected encoding.
    public var encoding: String
    /// The title found in the input, if any.
    public var title: String?
    /// The extracted text.
    public var text: String
    /// Further metadata (`url`, `published`).
    public var metadata: [String: String]
}
