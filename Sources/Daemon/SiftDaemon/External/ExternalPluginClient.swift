import CoreMetrics
import Foundation
import Logging
import SiftPluginAPI
import SystemPackage

/// One external stage: runs its child processes (``Settings/processes`` of them), hands each
/// request to a free one in arrival order, and restarts a process after a crash, a hang
/// (timeout) or a protocol violation, independently of the others.
actor ExternalPluginClient {
    struct Settings: Sendable {
        var stage: String
        var argv: [String]
        var workingDirectory: FilePath?
        var handshakeTimeout: Duration
        var maxResponseBytes: Int
        var processes = 1
    }

    /// One of the stage's processes; a request holds it (`busy`) from acquire to release.
    private struct Slot {
        var child: ChildProcess?
        var starts = 0
        var busy = false
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Int, any Error>
    }

    private let settings: Settings
    private let logger: Logger
    private var slots: [Slot]
    private var descriptor: PluginDescriptor?
    private var nextID = 1
    private var waiters: [Waiter] = []
    private var nextWaiterID = 1
    private var isShutDown = false

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        slots = Array(repeating: Slot(), count: max(1, settings.processes))
    }

    /// Starts every process and returns what they declare in their hello; they must all declare the same.
    func start() async throws -> PluginDescriptor {
        var held: [Int] = []
        defer { held.forEach(release) }
        for _ in slots.indices { held.append(try await acquire()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in held {
                group.addTask { _ = try await self.ensureRunning(index, atStart: true) }
            }
            try await group.waitForAll()
        }
        return descriptor!
    }

    /// Sends one document to a free process and returns the plugin's annotations.
    ///
    /// `timeout` starts when the request is sent: waiting for a free process does not count.
    /// A caller cancelled while waiting leaves the processes alone; one cancelled after sending
    /// kills its process, which would otherwise answer a request nobody reads.
    func process(_ document: Document, timeout: Duration) async throws -> [String: JSONValue] {
        let index = try await acquire()
        defer { release(index) }
        try Task.checkCancellation()
        let child = try await ensureRunning(index, atStart: false)
        let id = nextID
        nextID += 1
        let line: [UInt8]
        do {
            line = try await exchange(child, ExternalProtocol.request(id: id, document: document), timeout: timeout)
        } catch {
            await retire(child, slot: index)
            throw error
        }
        let response: [String: JSONValue]
        do {
            response = try ExternalProtocol.decode(line)
        } catch {
            await restartAfter(child, slot: index, reason: "it wrote garbage")
            throw error
        }
        guard response["id"]?.intValue == id else {
            await restartAfter(child, slot: index, reason: "it answered out of turn")
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
            await restartAfter(child, slot: index, reason: "it sent an unknown message")
            throw PluginError(.protocolViolation, "the plugin sent a message of type \(response["type"]?.description ?? "none")")
        }
    }

    /// Stops every process; requests still waiting for one fail, and later ones too.
    func shutdown() async {
        isShutDown = true
        let waiting = waiters
        waiters.removeAll()
        for waiter in waiting {
            waiter.continuation.resume(throwing: PluginError(.childFailed, "the stage is shutting down"))
        }
        let children = slots.indices.compactMap { index in
            defer { slots[index].child = nil }
            return slots[index].child
        }
        await withTaskGroup(of: Void.self) { group in
            for child in children {
                group.addTask { await child.stop() }
            }
        }
    }

    /// The slot's running process, started (with a handshake) if it is not running.
    private func ensureRunning(_ index: Int, atStart: Bool) async throws -> ChildProcess {
        if let child = slots[index].child, !child.hasExited { return child }
        if let child = slots[index].child {
            logger.warning("external plugin process is gone; restarting it", metadata: ["pid": "\(child.pid.map(String.init) ?? "?")"])
            await retire(child, slot: index)
        }
        guard !isShutDown else {
            throw PluginError(.childFailed, "the stage is shutting down")
        }
        slots[index].starts += 1
        let child = ChildProcess(
            argv: settings.argv, workingDirectory: settings.workingDirectory, maxLineBytes: settings.maxResponseBytes,
            logger: logger
        )
        slots[index].child = child
        let line: [UInt8]
        do {
            line = try await exchange(child, ExternalProtocol.hello(stage: settings.stage), timeout: settings.handshakeTimeout)
        } catch {
            await retire(child, slot: index)
            guard let error = error as? PluginError else { throw error }
            throw PluginError(error.code, "handshake with \(settings.argv[0]) failed: \(error.message)")
        }
        let declared: PluginDescriptor
        do {
            declared = try ExternalProtocol.descriptor(fromHello: try ExternalProtocol.decode(line))
        } catch let error as PluginError {
            await retire(child, slot: index)
            throw PluginError(error.code, "handshake with \(settings.argv[0]) failed: \(error.message)")
        }
        if let descriptor {
            // At start the processes are one program started at once: they must agree entirely.
            // A restarted one may be a newer version, but must fit the pipeline as it was checked.
            let differs =
                descriptor.provides != declared.provides || descriptor.requires != declared.requires
                || (atStart && (descriptor.name != declared.name || descriptor.version != declared.version))
            if differs {
                await retire(child, slot: index)
                throw PluginError(
                    .protocolViolation,
                    atStart
                        ? "the plugin's processes declare different names, versions, requirements or capabilities"
                        : "the restarted plugin declares different requirements or capabilities; reload siftd to accept them"
                )
            }
        }
        descriptor = declared
        if slots[index].starts > 1 {
            Counter(label: "siftd_external_plugin_restarts_total", dimensions: [("stage", settings.stage)]).increment()
        }
        logger.notice(
            slots[index].starts == 1 ? "external plugin started" : "external plugin restarted",
            metadata: [
                "pid": "\(child.pid.map(String.init) ?? "?")", "process": "\(index + 1)/\(slots.count)",
                "plugin_name": "\(declared.name)", "plugin_version": "\(declared.version)",
            ]
        )
        return child
    }

    private func exchange(_ child: ChildProcess, _ line: [UInt8], timeout: Duration) async throws -> [UInt8] {
        // A cancelled caller (siftd stopping) must not leave the child working on a stale request.
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
                    return .failure(
                        PluginError(.timedOut, "no answer within \(timeout.formatted); the plugin process was killed and will be restarted"))
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
        if case .failure = outcome, Task.isCancelled { throw CancellationError() }
        return try outcome.get()
    }

    private func restartAfter(_ child: ChildProcess, slot index: Int, reason: String) async {
        logger.warning(
            "killing the external plugin process because \(reason); it restarts on its next document",
            metadata: ["pid": "\(child.pid.map(String.init) ?? "?")"]
        )
        await retire(child, slot: index)
    }

    /// Kills a child that can no longer be trusted and waits until it is gone.
    private func retire(_ child: ChildProcess, slot index: Int) async {
        child.kill()
        if slots[index].child === child { slots[index].child = nil }
        await child.stop(grace: .zero)
    }

    /// Waits for a free process and reserves it; requests are served in arrival order.
    ///
    /// - Throws: `CancellationError` when the caller is cancelled while waiting.
    private func acquire() async throws -> Int {
        guard !isShutDown else {
            throw PluginError(.childFailed, "the stage is shutting down")
        }
        if waiters.isEmpty, let free = slots.firstIndex(where: { !$0.busy }) {
            slots[free].busy = true
            return free
        }
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.abandon(id) }
        }
    }

    /// Removes a cancelled caller from the queue, unless it has been handed a process already.
    private func abandon(_ id: Int) {
        if let position = waiters.firstIndex(where: { $0.id == id }) {
            waiters.remove(at: position).continuation.resume(throwing: CancellationError())
        }
    }

    /// Hands the process to the longest-waiting caller, or marks it free.
    private func release(_ index: Int) {
        if waiters.isEmpty {
            slots[index].busy = false
        } else {
            waiters.removeFirst().continuation.resume(returning: index)
        }
    }
}
