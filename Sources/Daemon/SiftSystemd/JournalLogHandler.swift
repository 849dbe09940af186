public import Logging

/// A swift-log handler that writes to the systemd journal with its native protocol.
///
/// Each entry has `MESSAGE`, `PRIORITY` (from the level), `SYSLOG_IDENTIFIER=siftd`,
/// `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, the event's `MESSAGE_ID` when it has one, and every
/// metadata key as an upper-case field with a `SIFTD_` prefix (`document` becomes
/// `SIFTD_DOCUMENT`), so that `journalctl -u siftd SIFTD_DOCUMENT=report.txt` finds all about a file.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let writer: JournalWriter
    private let identifier: String

    /// Creates a handler; all handlers share one background writer.
    public init(label: String, identifier: String = "siftd", metadataProvider: Logger.MetadataProvider? = nil) {
        self.writer = .shared
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        writer.submit(Self.fields(event, metadata: mergedMetadata(event.metadata), identifier: identifier))
    }

    private func mergedMetadata(_ explicit: Logger.Metadata?) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        return merged
    }

    /// The journal fields of one entry.
    static func fields(_ event: LogEvent, metadata: Logger.Metadata, identifier: String) -> [[UInt8]] {
        var fields: [[UInt8]] = [
            Array("MESSAGE=\(event.message)".utf8),
            Array("PRIORITY=\(priority(event.level))".utf8),
            Array("SYSLOG_IDENTIFIER=\(identifier)".utf8),
            Array("CODE_FILE=\(event.file)".utf8),
            Array("CODE_LINE=\(event.line)".utf8),
            Array("CODE_FUNC=\(event.function)".utf8),
        ]
        if let error = event.error {
            fields.append(Array("SIFTD_ERROR=\(error)".utf8))
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            if key == SiftEvent.metadataKey {
                fields.append(Array("MESSAGE_ID=\(value)".utf8))
            } else {
                fields.append(Array("\(fieldName(key))=\(render(value))".utf8))
            }
        }
        return fields
    }

    /// syslog priorities: swift-log's levels map one to one, trace and debug both to 7.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// `SIFTD_` and the key in upper case, anything but letters and digits as `_`, at most 64 bytes.
    static func fieldName(_ key: String) -> String {
        let body = key.uppercased().unicodeScalars.map { scalar -> Character in
            (("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)) ? Character(scalar) : "_"
        }
        return String(("SIFTD_" + String(body)).prefix(64))
    }

    static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(render).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.sorted { $0.key < $1.key }.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
