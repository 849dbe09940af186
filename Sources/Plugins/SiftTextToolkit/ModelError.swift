/// Why a model file (or the data to train one) could not be used.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// No file at the path.
        case notFound = "not_found"
        /// The file exists but cannot be read.
        case unreadable
        /// The bytes are not a model of this format, or the data not in the expected format.
        case malformed
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for people.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
