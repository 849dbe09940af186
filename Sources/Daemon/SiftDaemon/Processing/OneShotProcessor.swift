import Foundation
import Logging
import SiftPluginAPI
import SystemPackage

/// Processes files given on the command line, without a spool: `siftd process FILE…`.
public struct OneShotProcessor: Sendable {
    /// The pipeline to run.
    public var pipeline: Pipeline
    /// Reads the files.
    public var ingestor: DocumentIngestor
    /// The instance name recorded in results.
    public var instance: String
    /// How long reading and extracting one input may take.
    public var ingestTimeout: Duration

    /// Creates the processor.
    public init(pipeline: Pipeline, ingestor: DocumentIngestor, instance: String, ingestTimeout: Duration = .seconds(10)) {
        self.pipeline = pipeline
        self.ingestor = ingestor
        self.instance = instance
        self.ingestTimeout = ingestTimeout
    }

    /// Processes one file into its result.
    /// - Throws: ``SiftError`` when the file cannot be read or a stage configured to fail the document failed.
    public func process(_ path: FilePath) async throws -> ResultRecord {
        let received = Date()
        let name = path.lastComponent?.string ?? path.string
        let ingested = try await ingestor.ingest(path: path, name: name, timeout: ingestTimeout)
        let started = Date()
        let documentID = DocumentID.make()
        let document = Document(
            id: documentID, name: name, title: ingested.title, text: ingested.text, format: ingested.format.rawValue,
            metadata: ingested.metadata
        )
        let run = await pipeline.run(document)
        if let failing = run.failingStage {
            throw SiftError(.pluginFailed, "stage '\(failing.stage)' \(failing.status): \(failing.error?.message ?? "")")
        }
        return DocumentWorkflow.makeRecord(
            documentID: documentID, instance: instance, ingested: ingested, run: run, duplicateOf: nil,
            received: received, started: started
        )
    }

    /// A result as one line of JSON (JSON Lines), or indented as in the outbox when `pretty`.
    public static func encode(_ record: ResultRecord, pretty: Bool) throws -> [UInt8] {
        try record.serialized(pretty ? .pretty : .compact)
    }

    /// Writes a result into `outbox` as `<name>.json`, as the daemon does, never replacing an
    /// existing file; returns the name written.
    public func write(_ record: ResultRecord, to outbox: FilePath, format: SiftConfiguration.ResultFormat) throws -> String {
        try FileSystem.makeDirectory(outbox)
        let layout = SpoolLayout(inbox: outbox, outbox: outbox, processed: outbox, failed: outbox, work: outbox)
        let spool = Spool(layout: layout, instance: instance)
        let name = record.source.name
        let claim = ClaimedFile(documentID: record.documentID, name: name, path: outbox.appending(name), directory: nil)
        return try spool.publishResult(try Self.encode(record, pretty: format == .pretty), for: claim)
    }
}
