import SiftPluginAPI

/// One document's result, as written to the outbox; `docs/result.schema.json` describes it.
public struct ResultRecord: Codable, Sendable {
    /// The version of this format; bumped on incompatible change.
    public static let currentSchemaVersion = 2

    /// Where the text came from.
    public struct Source: Codable, Sendable {
        public var name: String
        public var size: Int
        public var sha256: String
        public var format: String
        public var encoding: String
        public var url: String?
        public var published: String?
    }

    /// The earlier document with the same content.
    public struct DuplicateReference: Codable, Sendable, Equatable {
        public var documentID: String
        public var result: String?

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
            case result
        }
    }

    /// What one stage did.
    public struct StageReport: Codable, Sendable {
        public var stage: String
        public var plugin: String
        public var version: String
        /// `ok`, `failed`, `timeout` or `skipped`.
        public var status: String
        public var durationMS: Double
        public var error: ErrorReport?

        enum CodingKeys: String, CodingKey {
            case stage, plugin, version, status, error
            case durationMS = "duration_ms"
        }
    }

    /// A failure's code and explanation.
    public struct ErrorReport: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
    }

    /// When the document was received, and when processing started and finished (RFC 3339, UTC).
    public struct Timestamps: Codable, Sendable {
        public var received: String
        public var started: String
        public var finished: String
    }

    public var schemaVersion: Int
    public var siftdVersion: String
    public var documentID: String
    public var instance: String
    /// `ok` when every stage succeeded, `partial` when some failed or were skipped.
    public var status: String
    public var source: Source
    public var title: String?
    public var text: String
    public var duplicateOf: DuplicateReference?
    /// What the stages provided, keyed by capability (`annotations.language`, `annotations.entities` …).
    public var annotations: [String: JSONValue]
    public var plugins: [StageReport]
    public var timestamps: Timestamps

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case siftdVersion = "siftd_version"
        case documentID = "document_id"
        case duplicateOf = "duplicate_of"
        case instance, status, source, title, text, annotations, plugins, timestamps
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(siftdVersion, forKey: .siftdVersion)
        try container.encode(documentID, forKey: .documentID)
        try container.encode(instance, forKey: .instance)
        try container.encode(status, forKey: .status)
        try container.encode(source, forKey: .source)
        try container.encode(title, forKey: .title)
        try container.encode(text, forKey: .text)
        try container.encode(duplicateOf, forKey: .duplicateOf)
        try container.encode(annotations, forKey: .annotations)
        try container.encode(plugins, forKey: .plugins)
        try container.encode(timestamps, forKey: .timestamps)
    }
}

extension ResultRecord {
    /// The record as the JSON value its `Codable` form encodes to.
    public var jsonValue: JSONValue {
        var source: [String: JSONValue] = [
            "name": .string(self.source.name), "size": .int(self.source.size), "sha256": .string(self.source.sha256),
            "format": .string(self.source.format), "encoding": .string(self.source.encoding),
        ]
        if let url = self.source.url { source["url"] = .string(url) }
        if let published = self.source.published { source["published"] = .string(published) }
        let duplicate: JSONValue =
            duplicateOf.map { duplicate in
                var reference: [String: JSONValue] = ["document_id": .string(duplicate.documentID)]
                if let result = duplicate.result { reference["result"] = .string(result) }
                return .object(reference)
            } ?? .null
        let plugins = plugins.map { report in
            var stage: [String: JSONValue] = [
                "stage": .string(report.stage), "plugin": .string(report.plugin), "version": .string(report.version),
                "status": .string(report.status), "duration_ms": .double(report.durationMS),
            ]
            if let error = report.error { stage["error"] = ["code": .string(error.code), "message": .string(error.message)] }
            return JSONValue.object(stage)
        }
        return [
            "schema_version": .int(schemaVersion), "siftd_version": .string(siftdVersion), "document_id": .string(documentID),
            "instance": .string(instance), "status": .string(status), "source": .object(source),
            "title": title.map(JSONValue.string) ?? .null, "text": .string(text), "duplicate_of": duplicate,
            "annotations": .object(annotations), "plugins": .array(plugins),
            "timestamps": [
                "received": .string(timestamps.received), "started": .string(timestamps.started),
                "finished": .string(timestamps.finished),
            ],
        ]
    }

    /// The record's JSON as written to the outbox, with a newline at the end: sorted keys,
    /// slashes unescaped, on one line or indented.
    public func serialized(_ format: SiftConfiguration.ResultFormat) throws(JSONWriterError) -> [UInt8] {
        var bytes = try JSONWriter(style: format == .pretty ? .pretty : .compact).serialize(jsonValue)
        bytes.append(0x0A)
        return bytes
    }
}
