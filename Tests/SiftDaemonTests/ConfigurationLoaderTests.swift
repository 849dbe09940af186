import Configuration
import SiftBuiltinPlugins
import SiftPluginAPI
import SystemPackage
import Testing

@testable import SiftDaemon

@Suite("Configuration: file, environment, flags, and clear errors")
struct ConfigurationLoaderTests {
    let loader = ConfigurationLoader(registry: TestPlugins.registry, defaultPipeline: ["upper"])
    let noDefault: FilePath = "/nonexistent/siftd.yaml"

    func load(yaml: String? = nil, environment: [String: String] = [:], overrides: [String: ConfigContent] = [:]) async throws -> SiftConfiguration {
        let directory = try TemporaryDirectory()
        let file = try yaml.map { try directory.write("siftd.yaml", $0) }
        return try await loader.load(file: file, defaultFile: noDefault, environment: environment, overrides: overrides)
    }

    func loadError(yaml: String? = nil, environment: [String: String] = [:]) async -> SiftError? {
        await #expect(throws: SiftError.self) { try await load(yaml: yaml, environment: environment) }
    }

    @Test("built-in defaults need no file")
    func defaults() async throws {
        let configuration = try await ConfigurationLoader(registry: try TestPlugins.standard(), defaultPipeline: BuiltinPlugins.defaultPipeline)
            .load(file: nil, defaultFile: noDefault, environment: [:], overrides: [:])
        #expect(configuration.layout == SpoolLayout(spool: "/var/spool/siftd"))
        #expect(configuration.stages.map(\.name) == ["text", "language", "entities", "summary"])
        #expect(configuration.maxFileBytes == 10 << 20)
        #expect(configuration.settle == .seconds(1))
        #expect(configuration.watchMode == .inotify)
        #expect(configuration.workers >= 1)
        #expect(configuration.file == nil)
        #expect(configuration.ingestionLimits == IngestionLimits(maxBytes: 10 << 20, maxHTMLDepth: 1024, maxJSONDepth: 256, allowHardLinks: false))
        #expect(configuration.ingestTimeout == .seconds(10))
        #expect(configuration.resultFormat == .compact)
        #expect(configuration.metricsListen == nil, "no metrics endpoint unless asked for")
    }

    @Test(
        "the metrics endpoint's address: IPv4, [IPv6] or localhost, with a port",
        arguments: [
            ("127.0.0.1:9464", "127.0.0.1", 9464), ("[::1]:9464", "::1", 9464), ("localhost:0", "localhost", 0),
        ])
    func metricsListen(text: String, host: String, port: Int) async throws {
        let configuration = try await load(yaml: "metrics:\n  listen: \"\(text)\"\n")
        #expect(configuration.metricsListen?.host == host)
        #expect(configuration.metricsListen?.port == port)
        #expect(configuration.metricsListen?.description == text)
    }

    @Test("the input limits are configuration, checked like every other key")
    func ingestionLimits() async throws {
        let configuration = try await load(
            yaml: """
                pipeline: [upper]
                max_html_depth: 64
                max_json_depth: 32
                allow_hard_links: true
                ingest_timeout_ms: 2500
                """)
        #expect(configuration.ingestionLimits == IngestionLimits(maxBytes: 10 << 20, maxHTMLDepth: 64, maxJSONDepth: 32, allowHardLinks: true))
        #expect(configuration.ingestTimeout == .milliseconds(2500))
        let error = await #expect(throws: SiftError.self) { try await load(yaml: "pipeline: [upper]\nmax_json_depth: 0") }
        #expect(error?.message.contains("max_json_depth") == true)
    }

    @Test("the file sets values; the environment overrides the file; flags override both")
    func precedence() async throws {
        let yaml = """
            spool: /srv/sift
            workers: 3
            settle_ms: 250
            pipeline: [upper, length]
            plugins:
              upper:
                timeout_ms: 1500
                on_error: fail
                options:
                  limit: 7
            """
        let fromFile = try await load(yaml: yaml)
        #expect(fromFile.layout.inbox == "/srv/sift/inbox")
        #expect(fromFile.workers == 3)
        #expect(fromFile.settle == .milliseconds(250))
        #expect(fromFile.stages.map(\.name) == ["upper", "length"])
        #expect(fromFile.stages[0].timeout == .milliseconds(1500))
        #expect(fromFile.stages[0].onError == .fail)
        #expect(fromFile.stages[0].options["limit"] == 7)
        let overridden = try await load(
            yaml: yaml,
            environment: ["SIFTD_WORKERS": "5", "SIFTD_PLUGINS_UPPER_OPTIONS_LIMIT": "9", "SIFTD_OUTBOX": "/elsewhere"],
            overrides: ["workers": .int(8)]
        )
        #expect(overridden.workers == 8)
        #expect(overridden.stages[0].options["limit"] == 9)
        #expect(overridden.layout.outbox == "/elsewhere")
        #expect(overridden.layout.inbox == "/srv/sift/inbox")
    }

    @Test(
        "mistakes are errors that name the key",
        arguments: [
            ("wokers: 4", "unknown key 'wokers'"),
            ("workers: many", "'workers'"),
            ("workers: -1", "'workers': -1 is outside 0...1024"),
            ("watch: fanotify", "'watch': 'fanotify' (use one of inotify, polling)"),
            ("log_level: loud", "'log_level': 'loud'"),
            ("result_format: indented", "'result_format': 'indented' (use one of compact, pretty)"),
            ("metrics:\n  listen: 9464", "'metrics.listen': '9464' (use HOST:PORT"),
            ("metrics:\n  listen: 127.0.0.1:70000", "'metrics.listen': '127.0.0.1:70000'"),
            ("metrics:\n  listen: 300.0.0.1:9464", "'metrics.listen': '300.0.0.1:9464'"),
            ("metrics:\n  port: 9464", "unknown key 'metrics.port'"),
            ("metrics: on", "'metrics' must be a mapping"),
            (
                "pipeline: [upper]\nplugins:\n  upper:\n    options:\n      limit: 0",
                "stage 'upper' (plugin 'upper'): option 'limit' must be integer 1...100, got 0"
            ),
            ("pipeline: [upper]\nplugins:\n  upper:\n    options:\n      colour: red", "unknown option 'colour'"),
            ("pipeline: [upper]\nplugins:\n  upper:\n    timeout: 5", "unknown key 'plugins.upper.timeout'"),
            ("pipeline: [missing]", "unknown plugin 'missing'"),
            ("pipeline: [length]", "requires 'upper'"),
            ("instance: ../escape", "invalid value for 'instance'"),
            ("- just\n- a list", "the top level must be a mapping"),
            ("spool: [unclosed", "cannot parse"),
        ]
    )
    func errors(yaml: String, message: String) async {
        let error = await loadError(yaml: yaml)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }

    @Test("a bad environment value is an error too")
    func environmentError() async {
        let error = await loadError(environment: ["SIFTD_SETTLE_MS": "soon"])
        #expect(error?.message.contains("'settle_ms'") == true, "\(error?.message ?? "no error")")
    }

    @Test("an explicitly named file must exist")
    func missingFile() async {
        let error = await #expect(throws: SiftError.self) {
            try await loader.load(file: "/nonexistent/x.yaml", environment: [:], overrides: [:])
        }
        #expect(error?.message.contains("does not exist") == true)
    }
}
