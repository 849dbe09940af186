import Foundation
import Logging
import SiftPluginAPI
import SystemPackage

/// One external stage: starts its child, talks to it one request at a time, and restarts it
/// after a crash, a hang (timeout) or a protocol violation.
actor ExternalPluginClient {
    struct Settings: Sendable {
        var stage: String
        var argv: [String]
        var workingDirectory: FilePath?
        var handshakeTimeout: Duration
        var maxResponseBytes: Int
    }

    private let settings: Settings
    private let logger: Logger
    private var child: ChildProcess?
    private var descriptor: PluginDescriptor?
    private var nextID = 1
    private var starts = 0
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Starts the child and returns what it declares in its hello.
    func start() async throws -> PluginDescriptor {
        await acquire()
        defer { release() }
        _ = try await ensureRunning()
        return descriptor!
    }

    /// Sends one document and returns the plugin's annotations.
    func process(_ document: Document, timeout: Duration) async throws -> [String: JSONValue] {
        await acquire()
        defer { release() }
        do {
            let child = try await self.ensureRunning()
            let id = self.nextID
            self.nextID += 1
            let line: [UInt8]
            do {
                line = try await self.exchange(child, ExternalProtocol.request(id: id, document: document), timeout: timeout)
            } catch {
                await retire(child)
                throw error
            }
            let response: [String: JSONValue]
            do {
                response = try ExternalProtocol.decode(line)
            } catch {
                await restartAfter(child, reason: "it wrote garbage")
                throw error
            }
            guard response["id"]?.intValue == id else {
                await restartAfter(child, reason: "it answered out of turn")
                throw PluginError(.protocolViolation, "the plugin answered request \(response["id"]?.description ?? "without an id"), expected \(id)")
            }
            switch response["type"]?.stringValue {
            case "result":
                guard let annotations = response["annotations"]?.objectValue else {
                    throw PluginError(.protocolViolation, "the plugin's result has no 'annotations' object")
                }
                return annotations
            case "error":
                throw PluginError(.processingFailed, response["message"]?.stringValue ?? "the plugin reported an error")
            default:
                await restartAfter(child, reason: "it sent an unknown message")
                throw PluginError(.protocolViolation, "the plugin sent a message of type \(response["type"]?.description ?? "none")")
            }
        }
    }

    /// Stops the child.
    func shutdown() async {
        if let child {
            self.child = nil
            await child.stop()
        }
    }

    private func ensureRunning() async throws -> ChildProcess {
        if let child, !child.hasExited { return child }
        if let child {
            logger.warning("external plugin process is gone; restarting it")
            await retire(child)
        }
        starts += 1
        let child = ChildProcess(
            argv: settings.argv, workingDirectory: settings.workingDirectory, maxLineBytes: settings.maxResponseBytes,
            logger: logger
        )
        self.child = child
        let line: [UInt8]
        do {
            line = try await exchange(child, ExternalProtocol.hello(stage: settings.stage), timeout: settings.handshakeTimeout)
        } catch let error as PluginError {
            await retire(child)
            throw PluginError(error.code, "handshake with \(settings.argv[0]) failed: \(error.message)")
        }
        let declared: PluginDescriptor
        do {
            declared = try ExternalProtocol.descriptor(fromHello: try ExternalProtocol.decode(line))
        } catch let error as PluginError {
            await retire(child)
            throw PluginError(error.code, "handshake with \(settings.argv[0]) failed: \(error.message)")
        }
        if let descriptor, descriptor.provides != declared.provides || descriptor.requires != declared.requires {
            await retire(child)
            throw PluginError(.protocolViolation, "the restarted plugin declares different requirements or capabilities; reload siftd to accept them")
        }
        descriptor = declared
        logger.notice(
            starts == 1 ? "external plugin started" : "external plugin restarted",
            metadata: ["pid": "\(child.pid.map(String.init) ?? "?")", "plugin_name": "\(declared.name)", "plugin_version": "\(declared.version)"]
        )
        return child
    }

    private func exchange(_ child: ChildProcess, _ line: [UInt8], timeout: Duration) async throws -> [UInt8] {
        // A cancelled caller (the stage's timeout) must not leave the child working on a stale request.
        let outcome = await withTaskCancellationHandler {
          await withTaskGroup(of: Result<[UInt8], PluginError>?.self) { group in
            group.addTask {
                do {
                    return .success(try await child.exchange(line))
                } catch let error as PluginError {
                    return .failure(error)
                } catch {
                    return .failure(PluginError(.childFailed, "\(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if Task.isCancelled { return nil }
                child.kill()
                return .failure(PluginError(.timedOut, "no answer within \(timeout.formatted); the plugin process was killed and will be restarted"))
            }
            var first: Result<[UInt8], PluginError>?
            while first == nil, let next = await group.next() {
                first = next
            }
            group.cancelAll()
            return first ?? .failure(PluginError(.timedOut, "the request was cancelled"))
          }
        } onCancel: {
            child.kill()
        }
        return try outcome.get()
    }

    private func restartAfter(_ child: ChildProcess, reason: String) async {
        logger.warning("killing the external plugin process because \(reason); it restarts on the next document")
        await retire(child)
    }

    /// Kills a child that can no longer be trusted and waits until it is gone.
    private func retire(_ child: ChildProcess) async {
        child.kill()
        if self.child === child { self.child = nil }
        await child.stop(grace: .zero)
    }

    /// Waits until no other request is in flight; requests run in arrival order.
    private func acquire() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
