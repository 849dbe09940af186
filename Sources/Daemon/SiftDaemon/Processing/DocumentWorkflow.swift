import Foundation
import Logging
import SiftPluginAPI
import SiftSystemd
import SystemPackage

/// Takes one claimed input through ingestion, the pipeline, the outbox and its disposition.
public struct DocumentWorkflow: Sendable {
    /// The spool the input was claimed from.
    public var spool: Spool
    /// Reads and extracts inputs.
    public var ingestor: DocumentIngestor
    /// Whether processed inputs are deleted rather than moved to `processed/`.
    public var deleteProcessed: Bool
    /// The daemon's logger.
    public var logger: Logger
    /// How long reading and extracting one input may take.
    public var ingestTimeout: Duration
    /// How result files are written.
    public var resultFormat: SiftConfiguration.ResultFormat
    /// Where stage times, stage errors and bytes read are counted.
    public var metrics: DaemonMetrics

    private var digests: DigestIndex { DigestIndex(directory: spool.layout.digests, instance: spool.instance) }

    /// Creates a workflow.
    public init(
        spool: Spool, ingestor: DocumentIngestor, deleteProcessed: Bool, logger: Logger, ingestTimeout: Duration = .seconds(10),
        resultFormat: SiftConfiguration.ResultFormat = .compact, metrics: DaemonMetrics = DaemonMetrics()
    ) {
        self.metrics = metrics
        self.spool = spool
        self.ingestor = ingestor
        self.deleteProcessed = deleteProcessed
        self.logger = logger
        self.ingestTimeout = ingestTimeout
        self.resultFormat = resultFormat
    }

    /// Processes `claim` with `pipeline`. Never throws: every failure ends in a disposition or a deferral.
    public func process(_ claim: ClaimedFile, with pipeline: Pipeline) async -> DocumentOutcome {
        let received = Date()
        var logger = self.logger
        logger[metadataKey: "document"] = "\(claim.name)"
        logger[metadataKey: "document_id"] = "\(claim.documentID)"
        logger.log(.documentAccepted, .info, "document accepted")

        let ingested: IngestedDocument
        do {
            ingested = try await ingestor.ingest(path: claim.path, name: claim.name, timeout: ingestTimeout)
        } catch is CancellationError {
            // The worker itself was cancelled (the daemon is going down): not the document's fault.
            logger.log(.documentDeferred, .notice, "reading was cancelled; the input stays claimed for the next start")
            return .deferred(reason: "cancelled")
        } catch {
            let failure = error as? SiftError ?? SiftError(.io, "\(error)")
            return fail(claim, stage: "ingest", plugin: nil, code: failure.code.description, message: failure.message, sha256: nil, logger: logger)
        }
        metrics.bytesRead(ingested.size)
        logger[metadataKey: "sha256"] = "\(ingested.sha256)"
        logger[metadataKey: "format"] = "\(ingested.format.rawValue)"
        logger[metadataKey: "encoding"] = "\(ingested.encoding)"

        let started = Date()
        let document = Document(
            id: claim.documentID, name: claim.name, title: ingested.title, text: ingested.text,
            format: ingested.format.rawValue, metadata: ingested.metadata
        )
        let run = await pipeline.run(document) { report in
            metrics.stageFinished(report)
            guard report.status != "ok" else { return }
            var stageLogger = logger
            stageLogger[metadataKey: "plugin"] = "\(report.stage)"
            stageLogger[metadataKey: "duration_ms"] = "\(report.durationMS)"
            stageLogger[metadataKey: "status"] = "\(report.status)"
            let event: SiftEvent = report.status == "timeout" ? .pluginTimedOut : .pluginFailed
            stageLogger.log(event, .warning, "plugin \(report.status == "timeout" ? "timed out" : report.status): \(report.error?.message ?? "")")
        }
        if let failing = run.failingStage {
            return fail(
                claim, stage: "pipeline", plugin: failing.stage, code: failing.error?.code ?? "plugin_failed",
                message: "stage '\(failing.stage)' \(failing.status): \(failing.error?.message ?? "")",
                sha256: ingested.sha256, logger: logger
            )
        }

        do {
            let duplicateOf = try digests.register(sha256: ingested.sha256, documentID: claim.documentID, name: claim.name)
            if let duplicateOf {
                var duplicateLogger = logger
                duplicateLogger[metadataKey: "duplicate_of"] = "\(duplicateOf.documentID)"
                duplicateLogger.log(
                    .duplicateDetected, .notice,
                    "duplicate detected: the same content was processed before as \(duplicateOf.result ?? duplicateOf.documentID)")
            }
            let record = Self.makeRecord(
                documentID: claim.documentID, instance: spool.instance, ingested: ingested, run: run,
                duplicateOf: duplicateOf, received: received, started: started
            )
            let bytes = try record.serialized(resultFormat)
            let resultName = try spool.publishResult(bytes, for: claim)
            // The first of a content keeps the marker: later duplicates point at it, not at one another.
            if duplicateOf == nil {
                try digests.recordResult(sha256: ingested.sha256, documentID: claim.documentID, name: claim.name, result: resultName)
            }
            let processedName = try spool.finishSucceeded(claim, deleteInput: deleteProcessed)
            logger[metadataKey: "result"] = "\(resultName)"
            logger[metadataKey: "duration_ms"] = "\(Self.milliseconds(since: received))"
            if let processedName { logger[metadataKey: "processed_as"] = "\(processedName)" }
            logger.log(.documentProcessed, .info, "document processed\(run.isComplete ? "" : " with failed stages")")
            return .succeeded(result: resultName, partial: !run.isComplete, duplicate: duplicateOf != nil)
        } catch {
            logger.log(.documentDeferred, .error, "cannot write the result; the input stays claimed for a retry: \(error)")
            return .deferred(reason: "\(error)")
        }
    }

    /// Sets aside a document the process died with twice (see ``CrashQuarantine``).
    public func quarantine(_ claim: ClaimedFile) -> DocumentOutcome {
        var logger = self.logger
        logger[metadataKey: "document"] = "\(claim.name)"
        logger[metadataKey: "document_id"] = "\(claim.documentID)"
        return fail(
            claim, stage: "pipeline", plugin: nil, code: SiftError.Code.crashed.description,
            message: "siftd crashed while processing this document (it was retried alone and the process died again)",
            sha256: nil, logger: logger, event: .documentQuarantined
        )
    }

    private func fail(
        _ claim: ClaimedFile, stage: String, plugin: String?, code: String, message: String, sha256: String?,
        logger: Logger, event: SiftEvent = .documentFailed
    ) -> DocumentOutcome {
        do {
            let failedName = try spool.finishFailed(claim) { failedName in
                FailureRecord(
                    schemaVersion: ResultRecord.currentSchemaVersion, siftdVersion: SiftVersion.current,
                    documentID: claim.documentID, instance: spool.instance, name: claim.name, failedName: failedName,
                    stage: stage, plugin: plugin, code: code, message: message, time: Timestamp.string(Date()),
                    sha256: sha256
                )
            }
            var logger = logger
            logger[metadataKey: "stage"] = "\(stage)"
            logger[metadataKey: "error_code"] = "\(code)"
            if let plugin { logger[metadataKey: "plugin"] = "\(plugin)" }
            logger[metadataKey: "failed_as"] = "\(failedName)"
            logger.log(event, .error, "document failed: \(message)")
            return .failed(name: failedName, code: code)
        } catch {
            logger.log(.documentDeferred, .error, "document failed (\(message)) and cannot be set aside; it stays claimed: \(error)")
            return .deferred(reason: "\(error)")
        }
    }

    /// Assembles a document's result record.
    public static func makeRecord(
        documentID: String, instance: String, ingested: IngestedDocument, run: Pipeline.Run,
        duplicateOf: ResultRecord.DuplicateReference?, received: Date, started: Date
    ) -> ResultRecord {
        let title = run.annotations["title"]?.stringValue ?? ingested.title
        return ResultRecord(
            schemaVersion: ResultRecord.currentSchemaVersion, siftdVersion: SiftVersion.current,
            documentID: documentID, instance: instance, status: run.isComplete ? "ok" : "partial",
            source: .init(
                name: ingested.name, size: ingested.size, sha256: ingested.sha256, format: ingested.format.rawValue,
                encoding: ingested.encoding, url: ingested.metadata["url"], published: ingested.metadata["published"]
            ),
            title: title, text: ingested.text, duplicateOf: duplicateOf, annotations: run.annotations,
            plugins: run.reports,
            timestamps: .init(
                received: Timestamp.string(received), started: Timestamp.string(started), finished: Timestamp.string(Date())
            )
        )
    }

    static func milliseconds(since start: Date) -> Double {
        (Date().timeIntervalSince(start) * 1_000_000).rounded() / 1000
    }
}
