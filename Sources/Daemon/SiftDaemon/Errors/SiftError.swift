/// An error of the daemon: a stable code to branch on and log, and a message for people.
public struct SiftError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The configuration is malformed or inconsistent.
        public static let invalidConfiguration = Code("invalid_configuration")
        /// The pipeline cannot be built: unknown plugin, unmet requirement, bad option.
        public static let invalidPipeline = Code("invalid_pipeline")
        /// The input's format is not one siftd reads.
        public static let unsupportedFormat = Code("unsupported_format")
        /// The input's bytes are not valid text in any supported encoding.
        public static let invalidEncoding = Code("invalid_encoding")
        /// The input is empty or holds no text.
        public static let emptyInput = Code("empty_input")
        /// The input is larger than the configured limit.
        public static let inputTooLarge = Code("input_too_large")
        /// The input is a symbolic link, a directory or another non-regular file.
        public static let notRegularFile = Code("not_regular_file")
        /// The input is structured (JSON) but malformed.
        public static let malformedInput = Code("malformed_input")
        /// The input exceeds a configured bound other than its size: nesting depth, for one.
        public static let limitExceeded = Code("limit_exceeded")
        /// Reading and extracting the input took longer than its timeout.
        public static let timedOut = Code("timed_out")
        /// The daemon died twice while this document was in flight.
        public static let crashed = Code("crashed")
        /// The input is a regular file with more than one hard link.
        public static let hardLinked = Code("hard_linked")
        /// A plugin failed and the stage is configured to fail the document.
        public static let pluginFailed = Code("plugin_failed")
        /// Another live instance holds this instance's lock.
        public static let instanceLocked = Code("instance_locked")
        /// A file-system operation failed.
        public static let io = Code("io_error")

        public var description: String { name }
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

    public var description: String { message }
}
