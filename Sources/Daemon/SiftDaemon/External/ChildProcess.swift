import Foundation
import Logging
import SiftPluginAPI
import Subprocess
import Synchronization
import SystemPackage

/// One running external plugin process, driven through swift-subprocess.
///
/// Each ``exchange(_:)`` writes one line to the child's standard input and returns the next line
/// of its standard output. The child's standard error is forwarded to the log line by line
/// (see ``StderrLines`` for the limits).
/// Callers must not overlap exchanges; ``ExternalPluginClient`` serialises them.
final class ChildProcess: Sendable {
    private struct Exchange: Sendable {
        var line: [UInt8]
        var reply: CheckedContinuation<[UInt8], any Error>
    }

    /// What the runner task and callers share.
    private final class State: Sendable {
        let killer = Mutex<(@Sendable () -> Void)?>(nil)
        let finished = Mutex(false)
        let processID = Mutex<pid_t?>(nil)
    }

    private let requests: AsyncStream<Exchange>.Continuation
    private let state = State()
    private let runner: Task<Void, Never>

    /// Whether the child has exited (or never started).
    var hasExited: Bool { state.finished.withLock { $0 } }
    /// The child's process id, once started.
    var pid: pid_t? { state.processID.withLock { $0 } }

    init(argv: [String], workingDirectory: FilePath?, maxLineBytes: Int, logger: Logger) {
        let (stream, continuation) = AsyncStream.makeStream(of: Exchange.self)
        requests = continuation
        let state = self.state
        runner = Task {
            let executable: Executable = argv[0].contains("/") ? .path(FilePath(argv[0])) : .name(argv[0])
            var options = PlatformOptions()
            options.processGroupID = 0  // its own group, so that a kill reaches whatever it started
            var iterator = stream.makeAsyncIterator()
            do {
                let result = try await Subprocess.run(
                    executable, arguments: Arguments(Array(argv.dropFirst())), environment: .inherit,
                    workingDirectory: workingDirectory, platformOptions: options,
                    input: .inputWriter, output: .sequence, error: .sequence
                ) { execution in
                    state.processID.withLock { $0 = execution.processIdentifier.value }
                    var stderrLogger = logger
                    stderrLogger[metadataKey: "pid"] = "\(execution.processIdentifier.value)"
                    state.killer.withLock { $0 = { try? execution.send(signal: .kill, toProcessGroup: true) } }
                    defer { state.killer.withLock { $0 = nil } }
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { [stderrLogger] in
                            await Self.forward(execution.standardError, to: stderrLogger)
                        }
                        var reader = LineReader(execution.standardOutput, limit: maxLineBytes)
                        while let exchange = await iterator.next() {
                            do {
                                _ = try await execution.standardInputWriter.write(exchange.line)
                                guard let line = try await reader.next() else {
                                    exchange.reply.resume(throwing: PluginError(.childFailed, "the plugin process exited"))
                                    break
                                }
                                exchange.reply.resume(returning: line)
                            } catch let error as LineReader.LineTooLong {
                                exchange.reply.resume(
                                    throwing: PluginError(.protocolViolation, "the plugin's response is longer than \(error.limit) bytes"))
                                try? execution.send(signal: .kill, toProcessGroup: true)
                                break
                            } catch {
                                exchange.reply.resume(throwing: PluginError(.childFailed, "cannot talk to the plugin process: \(error)"))
                                break
                            }
                        }
                        try? await execution.standardInputWriter.finish()
                        await group.waitForAll()
                    }
                }
                let status = result.terminationStatus
                let pid: Logger.Metadata = ["pid": "\(result.processIdentifier.value)"]
                if case .exited(0) = status {
                    logger.debug("external plugin exited", metadata: pid)
                } else {
                    logger.warning("external plugin process ended: \(status)", metadata: pid)
                }
            } catch {
                logger.error("cannot run the external plugin \(argv[0]): \(error)")
            }
            state.finished.withLock { $0 = true }
            continuation.finish()
            while let exchange = await iterator.next() {
                exchange.reply.resume(throwing: PluginError(.childFailed, "the plugin process is not running"))
            }
        }
    }

    /// Sends one line and waits for the next line the child writes.
    func exchange(_ line: [UInt8]) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            if case .terminated = requests.yield(Exchange(line: line, reply: continuation)) {
                continuation.resume(throwing: PluginError(.childFailed, "the plugin process is not running"))
            }
        }
    }

    /// Kills the child and everything it started.
    func kill() {
        state.killer.withLock { $0?() }
    }

    /// Closes the child's input, waits up to `grace` for it to exit, then kills it.
    func stop(grace: Duration = .seconds(2)) async {
        requests.finish()
        let runner = self.runner
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await runner.value }
            group.addTask {
                try? await Task.sleep(for: grace)
                if !Task.isCancelled { self.kill() }
            }
            await group.next()
            group.cancelAll()
        }
        await runner.value
    }

    /// What the stderr reader and the task that reports dropped lines share.
    private final class StderrState: Sendable {
        let lines: Mutex<StderrLines>
        init() { lines = Mutex(StderrLines(now: .now)) }
    }

    /// Logs the child's standard error line by line until it ends.
    ///
    /// It reads as fast as the child writes, whatever the lines' length and rate (a child
    /// blocked on a full pipe would hang), and logs a bounded number of bounded lines.
    private static func forward(_ output: SubprocessOutputSequence, to logger: Logger) async {
        let state = StderrState()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while (try? await Task.sleep(for: .seconds(1))) != nil {
                    if let summary = state.lines.withLock({ $0.droppedSummary() }) {
                        logger.warning("plugin stderr: \(summary)")
                    }
                }
            }
            do {
                for try await chunk in output {
                    let lines = chunk.withUnsafeBytes { bytes in
                        state.lines.withLock { $0.consume(bytes, at: .now) }
                    }
                    for line in lines { logger.notice("plugin stderr: \(line)") }
                }
            } catch {
                logger.warning("cannot read the plugin's standard error: \(error)")
            }
            group.cancelAll()
            let (last, summary) = state.lines.withLock { ($0.finish(at: .now), $0.droppedSummary()) }
            if let last { logger.notice("plugin stderr: \(last)") }
            if let summary { logger.warning("plugin stderr: \(summary)") }
        }
    }
}
