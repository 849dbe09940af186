import Foundation
import SiftPluginAPI

/// An ordered, validated list of stages that turns a document into annotations.
public struct Pipeline: Sendable {
    /// The stages in order.
    public let stages: [PipelineStage]

    /// What running the pipeline on one document produced.
    public struct Run: Sendable {
        /// The annotations by capability: what `annotations.<capability>` holds in the result.
        public var annotations: [String: JSONValue] = [:]
        /// Which stage provided each capability.
        public var providers: [String: String] = [:]
        /// One report per stage, in order.
        public var reports: [ResultRecord.StageReport] = []
        /// The stage whose failure fails the document, if any.
        public var failingStage: ResultRecord.StageReport?

        /// Whether every stage succeeded.
        public var isComplete: Bool { reports.allSatisfy { $0.status == "ok" } }
    }

    /// Runs every stage on `document`; a stage's failure or timeout is recorded, never thrown.
    public func run(_ document: Document, onStage: (ResultRecord.StageReport) -> Void = { _ in }) async -> Run {
        var run = Run()
        var document = document
        for stage in stages {
            let report: ResultRecord.StageReport
            let missing = stage.descriptor.requires.filter { document.providers[$0] == nil }
            if !missing.isEmpty {
                report = makeReport(
                    stage, status: "skipped", duration: .zero,
                    error: ResultRecord.ErrorReport(
                        code: "missing_requirement",
                        message: "skipped: no earlier stage provided \(missing.joined(separator: ", ")) for this document"
                    ))
            } else {
                let clock = ContinuousClock()
                let start = clock.now
                let outcome = await Self.runStage(stage, document)
                let duration = clock.now - start
                switch outcome {
                case .success(let annotations):
                    for (capability, value) in annotations {
                        run.annotations[capability] = value
                        document.annotations[capability] = value
                        run.providers[capability] = stage.name
                        document.providers[capability] = stage.name
                    }
                    report = makeReport(stage, status: "ok", duration: duration, error: nil)
                case .failure(let error):
                    let status = error.code == .timedOut ? "timeout" : "failed"
                    report = makeReport(
                        stage, status: status, duration: duration,
                        error: ResultRecord.ErrorReport(
                            code: error.code.description, message: error.message
                        ))
                }
            }
            run.reports.append(report)
            onStage(report)
            if report.status != "ok", stage.configuration.onError == .fail {
                run.failingStage = report
                break
            }
        }
        return run
    }

    /// Stops every stage's resources.
    public func shutdown() async {
        for stage in stages { await stage.instance.shutdown() }
    }

    private func makeReport(
        _ stage: PipelineStage, status: String, duration: Duration, error: ResultRecord.ErrorReport?
    ) -> ResultRecord.StageReport {
        let milliseconds =
            Double(duration.components.seconds) * 1000
            + Double(duration.components.attoseconds) / 1e15
        return ResultRecord.StageReport(
            stage: stage.name, plugin: stage.configuration.plugin, version: stage.descriptor.version,
            status: status, durationMS: (milliseconds * 1000).rounded() / 1000, error: error
        )
    }

    /// Runs one stage under its timeout. In-process plugins must honour cancellation to be stopped;
    /// a ``TimeoutEnforcingProcessor`` is given the timeout instead.
    private static func runStage(_ stage: PipelineStage, _ document: Document) async -> Result<[String: JSONValue], PluginError> {
        let processor = stage.instance.processor
        let timeout = stage.configuration.timeout
        let outcome: Result<[String: JSONValue], PluginError>
        if let processor = processor as? any TimeoutEnforcingProcessor {
            outcome =
                await capture { try await processor.process(document, timeout: timeout) }
                ?? .failure(PluginError(.processingFailed, "the stage was cancelled"))
        } else {
            let limited = try? await TimeLimit.run(timeout) { await capture { try await processor.process(document) } }
            switch limited {
            case .finished(let result?)?: outcome = result
            case .timedOut?: outcome = .failure(PluginError(.timedOut, "no answer within \(timeout.formatted)"))
            case .finished(nil)?, nil: outcome = .failure(PluginError(.processingFailed, "the stage was cancelled"))
            }
        }
        if case .success(let annotations) = outcome {
            let missing = stage.descriptor.provides.filter { annotations[$0] == nil }
            if !missing.isEmpty {
                return .failure(
                    PluginError(.missingProvision, "the plugin did not return \(missing.joined(separator: ", ")), which it declares to provide"))
            }
            // Each member becomes `annotations.<member>` in the result: only declared capabilities have a place there.
            let undeclared = annotations.keys.filter { !stage.descriptor.provides.contains($0) }.sorted()
            if !undeclared.isEmpty {
                let declared = stage.descriptor.provides.joined(separator: ", ")
                return .failure(
                    PluginError(
                        .undeclaredProvision,
                        "the plugin returned \(undeclared.joined(separator: ", ")), which it does not declare to provide (it declares: \(declared.isEmpty ? "nothing" : declared))"
                    ))
            }
        }
        return outcome
    }

    /// The processor's outcome as a result; `nil` when it was cancelled.
    private static func capture(
        _ body: @Sendable () async throws -> [String: JSONValue]
    ) async -> Result<[String: JSONValue], PluginError>? {
        do {
            return .success(try await body())
        } catch let error as PluginError {
            return .failure(error)
        } catch is CancellationError {
            return nil
        } catch {
            return .failure(PluginError(.processingFailed, "\(error)"))
        }
    }
}

extension Duration {
    /// A short human form: `250 ms`, `30 s`.
    var formatted: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(milliseconds) ms"
    }
}
