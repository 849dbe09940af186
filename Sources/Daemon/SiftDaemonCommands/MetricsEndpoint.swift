import CoreMetrics
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import SiftDaemon

/// The Prometheus endpoint of `siftd run` (`metrics: listen: HOST:PORT`): `GET /metrics` answers
/// in the Prometheus text format with the daemon's metrics, recorded through swift-metrics, and
/// the process's own (resident memory, open files, start time, build).
struct MetricsEndpoint {
    /// Where the metrics are kept: the backend that swift-metrics was bootstrapped with.
    let registry: PrometheusCollectorRegistry
    let address: ListenAddress
    let logger: Logger

    /// Stage times are milliseconds, whole documents tens of milliseconds: finer buckets than
    /// the library's defaults, which start at 5 ms.
    static let stageBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Makes swift-metrics record into a new Prometheus registry, and returns the registry.
    /// Call once, before any metric is made.
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["siftd_stage_duration_seconds"] = stageBuckets
        factory.durationHistogramBuckets["siftd_document_duration_seconds"] = stageBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// The HTTP server, as a service to run beside the daemon.
    func service() -> some Service {
        let process = ProcessFigures(registry: registry)
        let registry = self.registry
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            process.update()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        let logger = self.logger
        let address = self.address
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port), serverName: "siftd"),
            onServerRunning: { channel in
                let bound = ListenAddress(host: address.host, port: channel.localAddress?.port ?? address.port)
                logger.notice("metrics endpoint listening on http://\(bound)/metrics")
            },
            logger: logger
        )
    }
}

/// The process's own figures, read from /proc at each scrape, under the names Prometheus client
/// libraries give them.
struct ProcessFigures: Sendable {
    private let resident: Prometheus.Gauge
    private let openFiles: Prometheus.Gauge
    private let maxFiles: Prometheus.Gauge

    init(registry: PrometheusCollectorRegistry) {
        func gauge(_ namespace: String, _ name: String, _ unit: String, _ help: String, labels: [(String, String)] = []) -> Prometheus.Gauge {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: namespace, metricName: name, unitName: unit, helpText: help), labels: labels)
        }
        resident = gauge("process", "resident_memory", "bytes", "Resident memory size in bytes.")
        openFiles = gauge("process", "open", "fds", "Number of open file descriptors.")
        maxFiles = gauge("process", "max", "fds", "Maximum number of open file descriptors.")
        gauge("process", "start_time", "seconds", "Start time of the process since the Unix epoch in seconds.")
            .set(Date().timeIntervalSince1970)
        gauge("siftd", "build", "info", "The siftd build; always 1.", labels: [("version", SiftVersion.current)]).set(1.0)
    }

    func update() {
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        {
            resident.set(Double(pages * Int(sysconf(Int32(_SC_PAGESIZE)))))
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFiles.set(Double(entries.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            maxFiles.set(Double(limit.rlim_cur))
        }
    }
}
