/// An error raised by a plugin or by the plugin machinery.
public struct PluginError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case invalidInput = "invalid_input"
            case invalidOption = "invalid_option"
            case missingProvision = "missing_provision"
            case undeclaredProvision = "undeclared_provision"
            case processingFailed = "processing_failed"
            case timedOut = "timed_out"
            case protocolViolation = "protocol_violation"
            case childFailed = "child_failed"
        }

        private let kind: Kind

        /// The document cannot be handled by this plugin.
        public static let invalidInput = Code(kind: .invalidInput)
        /// An option is missing, unknown or out of range.
        public static let invalidOption = Code(kind: .invalidOption)
        /// The plugin did not return a capability it declares to provide.
        public static let missingProvision = Code(kind: .missingProvision)
        /// The plugin returned a member that is not a capability it declares to provide.
        public static let undeclaredProvision = Code(kind: .undeclaredProvision)
        /// The plugin failed while processing.
        public static let processingFailed = Code(kind: .processingFailed)
        /// The plugin did not finish within its timeout.
        public static let timedOut = Code(kind: .timedOut)
        /// An external plugin broke the line protocol.
        public static let protocolViolation = Code(kind: .protocolViolation)
        /// An external plugin's process could not be started or died.
        public static let childFailed = Code(kind: .childFailed)

        /// A stable snake-case name, as written into results and logs.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
