import ArgumentParser
import Foundation
import SiftDaemon
import SystemPackage

/// `siftd status`: what running instances report about themselves (their status files).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what an instance reports: documents processed and failed, the queue, the rate.",
        discussion: """
            Reads the status file each instance rewrites as its figures change, in its work directory \
            (work/INSTANCE/.status.json), and whether the instance holds its lock. Exit status: 0 \
            when the instance runs, 3 when it does not, 4 when it never reported.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @OptionGroup var location: SpoolLocationOptions

    @Flag(name: .long, help: "Every instance that ever reported in this work directory.")
    var all = false

    @Flag(name: .long, help: "Print the status as JSON, with \"running\" added.")
    var json = false

    func run() async throws {
        let configuration = try await options.load(overrides: location.overrides)
        let layout = configuration.layout
        let instances: [String]
        if all {
            instances = ((try? FileManager.default.contentsOfDirectory(atPath: layout.work.string)) ?? []).sorted().filter {
                FileManager.default.fileExists(atPath: InstanceStatus.path(layout: layout, instance: $0).string)
            }
        } else {
            instances = [configuration.instance]
        }
        var worst: Int32 = 0
        for name in instances {
            let running = InstanceStatus.isRunning(layout: layout, instance: name)
            guard let status = InstanceStatus.read(layout: layout, instance: name) else {
                print(json ? #"{"instance": "\#(name)", "running": \#(running)}"# : "siftd instance '\(name)': no status in \(layout.work)")
                worst = max(worst, 4)
                continue
            }
            if !running { worst = max(worst, 3) }
            print(json ? try Self.json(status, running: running) : Self.text(status, running: running))
        }
        if instances.isEmpty {
            print("siftd: no instance has reported in \(layout.work)")
            worst = 4
        }
        if worst != 0 { throw ExitCode(worst) }
    }

    static func json(_ status: InstanceStatus, running: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var object = try JSONSerialization.jsonObject(with: try encoder.encode(status)) as? [String: Any] ?? [:]
        object["running"] = running
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func text(_ status: InstanceStatus, running: Bool) -> String {
        let state: String
        if running {
            state = "\(status.state) since \(status.started)"
        } else if status.state == "stopped" {
            state = "stopped at \(status.updated)"
        } else {
            state = "not running (it ended without a clean stop; last report \(status.updated))"
        }
        let rate = String(format: "%.1f", status.documentsPerSecond)
        var lines = [
            "siftd instance '\(status.instance)' (pid \(status.pid), version \(status.version)): \(state)",
            "  processed \(status.processed) (\(status.partial) with failed stages), failed \(status.failed), deferred \(status.deferred)",
            "  queued \(status.queued)\(status.queuedMore ? "+" : ""), in flight \(status.inFlight), \(rate) documents/s",
        ]
        if let last = status.lastDocument { lines.append("  last document: \(last)") }
        if running { lines.append("  reported at \(status.updated)") }
        return lines.joined(separator: "\n")
    }
}
