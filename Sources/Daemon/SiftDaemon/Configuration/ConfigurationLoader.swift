import Configuration
import Foundation
import Logging
import SiftPluginAPI
import SystemPackage
import Yams

/// Reads ``SiftConfiguration`` from flags, `SIFTD_…` environment variables and a YAML file,
/// in that order of precedence, over built-in defaults that need no file at all.
///
/// Unknown keys and ill-typed values are errors naming the key: a typo never silently falls
/// back to a default.
public struct ConfigurationLoader: Sendable {
    /// The default configuration file.
    public static let defaultFile: FilePath = "/etc/siftd/siftd.yaml"
    /// The default spool directory.
    public static let defaultSpool: FilePath = "/var/spool/siftd"

    static let topLevelKeys: Set<String> = [
        "spool", "inbox", "outbox", "processed", "failed", "work", "instance", "workers", "max_file_bytes",
        "max_html_depth", "max_json_depth", "allow_hard_links", "ingest_timeout_ms",
        "settle_ms", "rescan_interval_ms", "watch", "poll_interval_ms", "on_success", "default_timeout_ms",
        "default_on_error", "log_level", "result_format", "max_queued", "metrics", "pipeline", "plugins",
    ]
    static let stageKeys: Set<String> = ["plugin", "timeout_ms", "on_error", "options"]
    static let metricsKeys: Set<String> = ["listen"]

    /// The plugins that stages may name.
    public var registry: PluginRegistry
    /// The stages run when the configuration has no `pipeline` key.
    public var defaultPipeline: [String]

    /// Creates a loader.
    /// - Parameters:
    ///   - registry: The plugins that stages may name.
    ///   - defaultPipeline: The stages run when the configuration has no `pipeline` key.
    public init(registry: PluginRegistry, defaultPipeline: [String]) {
        self.registry = registry
        self.defaultPipeline = defaultPipeline
    }

    /// Loads and validates the configuration.
    /// - Parameters:
    ///   - file: The YAML file; when `nil`, ``defaultFile`` is read if it exists.
    ///   - environment: The process environment (`SIFTD_…` variables override the file).
    ///   - overrides: Values from command-line flags, by key (e.g. `spool`, `workers`); they override everything.
    ///   - defaultFile: The file read when `file` is `nil`, if it exists.
    public func load(
        file: FilePath?, defaultFile: FilePath = Self.defaultFile, environment: [String: String],
        overrides: [String: ConfigContent]
    ) async throws -> SiftConfiguration {
        let filePath = file ?? defaultFile
        let fileExists = FileManager.default.fileExists(atPath: filePath.string)
        if file != nil, !fileExists {
            throw SiftError(.invalidConfiguration, "the configuration file \(filePath) does not exist")
        }
        var providers: [any ConfigProvider] = []
        providers.append(
            InMemoryProvider(
                name: "command line",
                values: Dictionary(
                    uniqueKeysWithValues: overrides.map {
                        (AbsoluteConfigKey($0.key.split(separator: ".").map(String.init)), ConfigValue($0.value, isSecret: false))
                    })
            )
        )
        // `workers` is looked up as `siftd.workers`, that is SIFTD_WORKERS.
        providers.append(
            EnvironmentVariablesProvider(environmentVariables: environment.filter { $0.key.hasPrefix("SIFTD_") })
                .prefixKeys(with: "siftd")
        )
        var fileOptionKeys: [String: [String]] = [:]
        if fileExists {
            let text: String
            do {
                text = try String(contentsOfFile: filePath.string, encoding: .utf8)
            } catch {
                throw SiftError(.invalidConfiguration, "cannot read \(filePath): \(error.localizedDescription)")
            }
            fileOptionKeys = try checkKeys(yaml: text, file: filePath)
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: filePath))
            } catch {
                throw SiftError(.invalidConfiguration, "cannot parse \(filePath): \(error)")
            }
        }
        let collector = ConfigurationErrorCollector()
        let reader = ConfigReader(providers: providers, accessReporter: collector)
        let configuration = try read(reader, fileOptionKeys: fileOptionKeys, file: fileExists ? filePath : nil)
        if let first = collector.collected.first {
            throw SiftError(.invalidConfiguration, "invalid value for \(first)")
        }
        try PipelineBuilder(registry: registry, logger: Logger(label: "siftd")).validateStatically(configuration.stages)
        return configuration
    }

    private func read(_ reader: ConfigReader, fileOptionKeys: [String: [String]], file: FilePath?) throws -> SiftConfiguration {
        let spool = FilePath(reader.string(forKey: "spool") ?? Self.defaultSpool.string)
        let conventional = SpoolLayout(spool: spool)
        func directory(_ key: String, _ fallback: FilePath) -> FilePath {
            reader.string(forKey: ConfigKey(key)).map { FilePath($0) } ?? fallback
        }
        let layout = SpoolLayout(
            inbox: directory("inbox", conventional.inbox), outbox: directory("outbox", conventional.outbox),
            processed: directory("processed", conventional.processed), failed: directory("failed", conventional.failed),
            work: directory("work", conventional.work)
        )
        let instance = reader.string(forKey: "instance") ?? ProcessInfo.processInfo.hostName
        guard Self.isValidInstanceName(instance) else {
            throw SiftError(
                .invalidConfiguration,
                "invalid value for 'instance': '\(instance)' must be 1 to 64 letters, digits, '.', '-' or '_', not starting with '.'"
            )
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let workers = try integer(reader, "workers", default: 0, in: 0...1024)
        let defaultTimeout = try integer(reader, "default_timeout_ms", default: 30_000, in: 1...3_600_000)
        let defaultOnError = try choice(reader, "default_on_error", default: FailurePolicy.continue)
        let pipeline = reader.stringArray(forKey: "pipeline") ?? defaultPipeline
        var stages: [StageConfiguration] = []
        for name in pipeline {
            let stageReader = reader.scoped(to: ConfigKey(["plugins", name]))
            let plugin = stageReader.string(forKey: "plugin") ?? name
            var options: [String: JSONValue] = [:]
            if let registration = registry[plugin] {
                let optionsReader = stageReader.scoped(to: "options")
                for spec in registration.descriptor.options {
                    if let value = Self.value(optionsReader, spec) { options[spec.name] = value }
                }
            }
            for key in fileOptionKeys[name] ?? [] where options[key] == nil {
                options[key] = .null  // present in the file but not declared: resolveOptions names it
            }
            stages.append(
                StageConfiguration(
                    name: name, plugin: plugin, options: options,
                    timeout: .milliseconds(
                        try integer(stageReader, "timeout_ms", default: defaultTimeout, in: 1...3_600_000, label: "plugins.\(name).timeout_ms")),
                    onError: try choice(stageReader, "on_error", default: defaultOnError, label: "plugins.\(name).on_error")
                )
            )
        }
        let logLevelName = reader.string(forKey: "log_level") ?? "info"
        guard let logLevel = Logger.Level(rawValue: logLevelName) else {
            throw SiftError(
                .invalidConfiguration,
                "invalid value for 'log_level': '\(logLevelName)' (use one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return SiftConfiguration(
            layout: layout, instance: instance, workers: workers == 0 ? cores : workers,
            maxFileBytes: try integer(reader, "max_file_bytes", default: 10 << 20, in: 1...(1 << 34)),
            maxHTMLDepth: try integer(reader, "max_html_depth", default: IngestionLimits.default.maxHTMLDepth, in: 1...100_000),
            maxJSONDepth: try integer(reader, "max_json_depth", default: IngestionLimits.default.maxJSONDepth, in: 1...100_000),
            allowHardLinks: reader.bool(forKey: "allow_hard_links") ?? false,
            ingestTimeout: .milliseconds(try integer(reader, "ingest_timeout_ms", default: 10_000, in: 1...3_600_000)),
            settle: .milliseconds(try integer(reader, "settle_ms", default: 1000, in: 0...600_000)),
            rescanInterval: .milliseconds(try integer(reader, "rescan_interval_ms", default: 60_000, in: 100...86_400_000)),
            watchMode: try choice(reader, "watch", default: SiftConfiguration.WatchMode.inotify),
            pollInterval: .milliseconds(try integer(reader, "poll_interval_ms", default: 2000, in: 50...3_600_000)),
            deleteProcessed: try choice(reader, "on_success", default: SuccessAction.move) == .delete,
            resultFormat: try choice(reader, "result_format", default: SiftConfiguration.ResultFormat.compact),
            maxQueued: try integer(reader, "max_queued", default: Intake.defaultCapacity, in: 1...1_000_000),
            metricsListen: try reader.string(forKey: "metrics.listen").map { try ListenAddress(parsing: $0, key: "metrics.listen") },
            logLevel: logLevel, stages: stages, file: file
        )
    }

    enum SuccessAction: String, CaseIterable {
        case move, delete
    }

    private func integer(_ reader: ConfigReader, _ key: String, default fallback: Int, in range: ClosedRange<Int>, label: String? = nil) throws -> Int
    {
        guard let value = reader.int(forKey: ConfigKey(key)) else { return fallback }
        guard range.contains(value) else {
            throw SiftError(
                .invalidConfiguration, "invalid value for '\(label ?? key)': \(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    private func choice<Value: RawRepresentable & CaseIterable>(
        _ reader: ConfigReader, _ key: String, default fallback: Value, label: String? = nil
    ) throws -> Value where Value.RawValue == String {
        guard let raw = reader.string(forKey: ConfigKey(key)) else { return fallback }
        guard let value = Value(rawValue: raw) else {
            throw SiftError(
                .invalidConfiguration,
                "invalid value for '\(label ?? key)': '\(raw)' (use one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return value
    }

    private static func value(_ reader: ConfigReader, _ spec: PluginOptionSpec) -> JSONValue? {
        let key = ConfigKey(spec.name)
        switch spec.kind {
        case .string, .choice: return reader.string(forKey: key).map(JSONValue.string)
        case .integer: return reader.int(forKey: key).map(JSONValue.int)
        case .number: return reader.double(forKey: key).map(JSONValue.double)
        case .boolean: return reader.bool(forKey: key).map(JSONValue.bool)
        case .stringList: return reader.stringArray(forKey: key).map { .array($0.map(JSONValue.string)) }
        }
    }

    /// Whether `name` can name an instance (and its work directory).
    public static func isValidInstanceName(_ name: String) -> Bool {
        guard (1...64).contains(name.count), !name.hasPrefix(".") else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == "_")
        }
    }

    /// Rejects unknown keys; returns the option keys given per stage in the file.
    private func checkKeys(yaml: String, file: FilePath) throws -> [String: [String]] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw SiftError(.invalidConfiguration, "cannot parse \(file): \(error)")
        }
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            throw SiftError(.invalidConfiguration, "\(file): the top level must be a mapping of keys to values")
        }
        var optionKeys: [String: [String]] = [:]
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            guard Self.topLevelKeys.contains(key) else {
                throw SiftError(
                    .invalidConfiguration,
                    "\(file)\(Self.line(keyNode)): unknown key '\(key)' (known: \(Self.topLevelKeys.sorted().joined(separator: ", ")))")
            }
            if key == "metrics" {
                guard let settings = valueNode.mapping else {
                    throw SiftError(.invalidConfiguration, "\(file)\(Self.line(valueNode)): 'metrics' must be a mapping (listen: 127.0.0.1:9464)")
                }
                for settingNode in settings.keys where !Self.metricsKeys.contains(settingNode.string ?? "") {
                    throw SiftError(
                        .invalidConfiguration,
                        "\(file)\(Self.line(settingNode)): unknown key 'metrics.\(settingNode.string ?? "")' (known: \(Self.metricsKeys.sorted().joined(separator: ", ")))"
                    )
                }
            }
            guard key == "plugins" else { continue }
            guard let stages = valueNode.mapping else {
                throw SiftError(.invalidConfiguration, "\(file)\(Self.line(valueNode)): 'plugins' must map stage names to their settings")
            }
            for (stageNode, stageValue) in stages {
                let stage = stageNode.string ?? ""
                guard let settings = stageValue.mapping else {
                    throw SiftError(.invalidConfiguration, "\(file)\(Self.line(stageValue)): 'plugins.\(stage)' must be a mapping")
                }
                for (settingNode, settingValue) in settings {
                    let setting = settingNode.string ?? ""
                    guard Self.stageKeys.contains(setting) else {
                        throw SiftError(
                            .invalidConfiguration,
                            "\(file)\(Self.line(settingNode)): unknown key 'plugins.\(stage).\(setting)' (known: \(Self.stageKeys.sorted().joined(separator: ", ")))"
                        )
                    }
                    if setting == "options" {
                        guard let options = settingValue.mapping else {
                            throw SiftError(.invalidConfiguration, "\(file)\(Self.line(settingValue)): 'plugins.\(stage).options' must be a mapping")
                        }
                        optionKeys[stage] = options.keys.compactMap(\.string)
                    }
                }
            }
        }
        return optionKeys
    }

    private static func line(_ node: Node) -> String {
        node.mark.map { ":\($0.line)" } ?? ""
    }
}
