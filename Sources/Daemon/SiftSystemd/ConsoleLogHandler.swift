import Logging

/// Readable log lines on standard error, one line per entry whatever they hold: control
/// characters in the message and in metadata values (a newline in a file name, say) are escaped,
/// so that a name can never split a line or forge one. The journal keeps values exact instead.
public struct ConsoleLogHandler: LogHandler {
    private var stream: StreamLogHandler

    /// Creates a handler writing to standard error.
    public init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    /// Kept as given and escaped when an entry is written: a document's metadata is set for
    /// every document and seldom logged at the default level.
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = "\(PrintableText.escaping(event.message.description, keepingBackslashes: true))"
        var merged = metadata
        if let own = event.metadata { merged.merge(own) { $1 } }
        event.metadata = merged.isEmpty ? nil : merged.mapValues(Self.escaped)
        stream.log(event: event)
    }

    private static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let string): .string(PrintableText.escaping(string, keepingBackslashes: true))
        case .stringConvertible(let convertible): .string(PrintableText.escaping(convertible.description, keepingBackslashes: true))
        case .array(let values): .array(values.map(escaped))
        case .dictionary(let values): .dictionary(values.mapValues(escaped))
        }
    }
}
