import Benchmark
import Configuration
import Foundation
import Logging
import ServiceLifecycle
import SiftBuiltinPlugins
import SiftDaemon
import SiftPluginAPI
import SystemPackage

/// The registry siftd runs with: the built-in plugins and the `external` kind.
func standardRegistry() throws -> PluginRegistry {
    try PluginRegistry(BuiltinPlugins.all + [ExternalPlugin.registration])
}

/// The seed articles, read once.
let seeds: [(name: String, bytes: Data)] = {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()) ?? []
    return names.map { ($0, (try? Data(contentsOf: directory.appendingPathComponent($0))) ?? Data()) }
}()

/// Where every benchmark run keeps its spools. They are not deleted between samples: deleting
/// thousands of files makes ext4 slower at creating the next ones, which would measure the
/// benchmark's own clean-up. `make bench` removes the folder before it starts.
let benchmarkRoot = FileManager.default.temporaryDirectory.appendingPathComponent("siftd-bench")

/// A fresh spool, configured by built-in defaults.
func makeSpool() async throws -> (root: URL, configuration: SiftConfiguration) {
    let root = benchmarkRoot.appendingPathComponent(UUID().uuidString)
    let configuration = try await ConfigurationLoader(registry: try standardRegistry(), defaultPipeline: BuiltinPlugins.defaultPipeline).load(
        file: nil, defaultFile: "/nonexistent", environment: [:],
        overrides: ["spool": .string(root.path), "instance": .string("bench"), "settle_ms": .int(0)]
    )
    try configuration.layout.prepare(instance: configuration.instance)
    return (root, configuration)
}

/// Drops a seed the way careful writers do: a temporary name, then a rename into the inbox.
/// The content is made unique, as real inputs are: otherwise all but five would be duplicates.
func drop(_ seed: (name: String, bytes: Data), as name: String, into inbox: URL) throws {
    let temporary = inbox.appendingPathComponent(".\(name).part")
    var bytes = seed.bytes
    if seed.name.hasSuffix(".json") {
        bytes = Data("{\"bench\": \"\(name)\",".utf8) + bytes.dropFirst(1)
    } else {
        bytes.append(contentsOf: Data("\n\(name)\n".utf8))
    }
    try bytes.write(to: temporary)
    try FileManager.default.moveItem(at: temporary, to: inbox.appendingPathComponent(name))
}

/// Starts the daemon on a fresh spool; returns it with a way to stop it.
func startDaemon() async throws -> (service: SiftService, inbox: URL, stop: () async throws -> Void) {
    let (_, configuration) = try await makeSpool()
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    let service = SiftService(configuration: configuration, registry: try standardRegistry(), logger: logger) {
        configuration
    }
    let group = ServiceGroup(services: [service], logger: logger)
    let running = Task { try await group.run() }
    while !FileManager.default.fileExists(atPath: configuration.layout.instanceDirectory("bench").appending(".lock").string) {
        try await Task.sleep(for: .milliseconds(10))
    }
    try await Task.sleep(for: .milliseconds(100))
    return (
        service, URL(fileURLWithPath: configuration.layout.inbox.string),
        {
            await group.triggerGracefulShutdown()
            try await running.value
        }
    )
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(10), maxIterations: 1_000,
        thresholds: spoolTolerances()
    )

    // Documents one after another through the whole path without the watcher: claim by rename,
    // ingestion, the default pipeline (text, language, entities, summary), the durable result
    // (file and directory fsync), the move to processed/. Normalised per document: throughput is documents per second on one worker.
    Benchmark("Workflow: seeds one by one, inbox → pipeline → outbox", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (_, configuration) = try await makeSpool()
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let spool = Spool(layout: configuration.layout, instance: configuration.instance)
        let runtime = try await SiftService.makeRuntime(
            configuration, registry: try standardRegistry(), spool: spool, logger: logger
        )
        let inbox = URL(fileURLWithPath: configuration.layout.inbox.string)
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            let seed = seeds[iteration % seeds.count]
            let name = "\(iteration)-\(seed.name)"
            try drop(seed, as: name, into: inbox)
            guard let claim = try spool.claim(name) else { fatalError("the benchmark's own file vanished") }
            blackHole(await runtime.workflow.process(claim, with: runtime.pipeline))
        }
        benchmark.stopMeasurement()
        await runtime.pipeline.shutdown()
    }

    // The running daemon, one document in flight at a time: renamed into the inbox, seen by inotify,
    // processed, result durable. Normalised per document: the inverse of drop-to-result latency.
    Benchmark("Daemon: seeds dropped one at a time, until each result is durable", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let daemon = try await startDaemon()
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            let seed = seeds[iteration % seeds.count]
            let before = daemon.service.counters.snapshot.processed
            try drop(seed, as: "\(iteration)-\(seed.name)", into: daemon.inbox)
            while daemon.service.counters.snapshot.processed == before {
                await Task.yield()
            }
        }
        benchmark.stopMeasurement()
        try await daemon.stop()
    }

    // The running daemon with all its workers (one per core): a burst of 1,000 seeds renamed into the
    // inbox at once, until every result is durable. Normalised per document: documents per second.
    // CPU time too (user and system, every thread): per document, what the pipeline costs.
    Benchmark(
        "Daemon: a burst of 1,000 seeds, until every result is durable",
        configuration: .init(metrics: Benchmark.defaultConfiguration.metrics + [.cpuTotal], scalingFactor: .kilo, maxIterations: 20)
    ) {
        benchmark in
        let daemon = try await startDaemon()
        let burst = 1_000
        benchmark.startMeasurement()
        for iteration in 0..<burst {
            let seed = seeds[iteration % seeds.count]
            try drop(seed, as: "\(iteration)-\(seed.name)", into: daemon.inbox)
        }
        while daemon.service.counters.snapshot.processed < burst {
            try await Task.sleep(for: .microseconds(200))
        }
        benchmark.stopMeasurement()
        try await daemon.stop()
    }

    // The floor under the burst: the same 1,000 seeds dropped the same way and given the same
    // durable file work by as many workers, with no processing (DurableFileFloor). The daemon's
    // documents per second over this benchmark's is how close to the disk it runs.
    Benchmark(
        "Disk floor: a burst of 1,000 seeds, read, written durably, moved",
        configuration: .init(metrics: Benchmark.defaultConfiguration.metrics + [.cpuTotal], scalingFactor: .kilo, maxIterations: 20)
    ) { benchmark in
        let floor = try DurableFileFloor(root: benchmarkRoot.appendingPathComponent(UUID().uuidString))
        let burst = 1_000
        let names = (0..<burst).map { "\($0)-\(seeds[$0 % seeds.count].name)" }
        benchmark.startMeasurement()
        for (iteration, name) in names.enumerated() {
            try drop(seeds[iteration % seeds.count], as: name, into: floor.inbox)
        }
        try await floor.handle(names, workers: ProcessInfo.processInfo.activeProcessorCount)
        benchmark.stopMeasurement()
    }
}
