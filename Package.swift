// swift-tools-version: 6.2
import PackageDescription

import class Foundation.ProcessInfo

let package = Package(
    name: "siftd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "siftd", targets: ["siftd"]),
        .library(name: "SiftPluginAPI", targets: ["SiftPluginAPI"]),
        .library(name: "SiftBuiltinPlugins", targets: ["SiftBuiltinPlugins"]),
        .library(name: "SiftTextToolkit", targets: ["SiftTextToolkit"]),
        .library(name: "SiftLanguageID", targets: ["SiftLanguageID"]),
        .library(name: "SiftEntityTagger", targets: ["SiftEntityTagger"]),
        .library(name: "SiftSummarizer", targets: ["SiftSummarizer"]),
        .library(name: "SiftDaemon", targets: ["SiftDaemon"]),
        .library(name: "SiftSystemd", targets: ["SiftSystemd"]),
        .library(name: "SiftDaemonCommands", targets: ["SiftDaemonCommands"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // The plugin API: the only module an out-of-tree Swift plugin depends on.
        .target(
            name: "SiftPluginAPI",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Sources/Plugins/SiftPluginAPI"
        ),
        .target(
            name: "SiftTextToolkit",
            path: "Sources/Plugins/SiftTextToolkit"
        ),
        .target(
            name: "SiftLanguageID",
            dependencies: ["SiftTextToolkit"],
            path: "Sources/Plugins/SiftLanguageID",
            resources: [.copy("Resources/langid.model")]
        ),
        .target(
            name: "SiftEntityTagger",
            dependencies: ["SiftTextToolkit"],
            path: "Sources/Plugins/SiftEntityTagger",
            resources: [.copy("Resources/ner.model")]
        ),
        .target(
            name: "SiftSummarizer",
            dependencies: ["SiftTextToolkit"],
            path: "Sources/Plugins/SiftSummarizer"
        ),
        .target(
            name: "SiftBuiltinPlugins",
            dependencies: ["SiftPluginAPI", "SiftTextToolkit", "SiftLanguageID", "SiftEntityTagger", "SiftSummarizer"],
            path: "Sources/Plugins/SiftBuiltinPlugins"
        ),
        .systemLibrary(
            name: "CSystemd",
            path: "Sources/Daemon/CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .target(
            name: "CLinux",
            path: "Sources/Daemon/CLinux"
        ),
        // Logging to the systemd journal (or the console) and service notifications.
        .target(
            name: "SiftSystemd",
            dependencies: [
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Sources/Daemon/SiftSystemd"
        ),
        .target(
            name: "SiftDaemon",
            dependencies: [
                "CLinux",
                "SiftSystemd",
                "SiftPluginAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Sources/Daemon/SiftDaemon"
        ),
        // The daemon's command line (run, process, check-config, plugins) for any executable
        // that assembles its own plugins.
        .target(
            name: "SiftDaemonCommands",
            dependencies: [
                "SiftDaemon",
                "SiftSystemd",
                "SiftPluginAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Sources/Daemon/SiftDaemonCommands"
        ),
        // The composition root: the built-in plugins handed to the daemon, and the model tools.
        .executableTarget(
            name: "siftd",
            dependencies: [
                "SiftDaemon",
                "SiftDaemonCommands",
                "SiftBuiltinPlugins",
                "SiftPluginAPI",
                "SiftLanguageID",
                "SiftEntityTagger",
                "SiftSummarizer",
                "SiftTextToolkit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Sources/Daemon/siftd"
        ),
        .testTarget(
            name: "SiftPluginTests",
            dependencies: ["SiftPluginAPI", "SiftBuiltinPlugins", "SiftTextToolkit", "SiftLanguageID", "SiftEntityTagger", "SiftSummarizer"],
            path: "Tests/SiftPluginTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SiftDaemonTests",
            dependencies: [
                "SiftSystemd",
                "SiftDaemon",
                "SiftDaemonCommands",
                "SiftPluginAPI",
                "SiftBuiltinPlugins",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/SiftDaemonTests",
            resources: [.copy("Fixtures")]
        ),
        // siftd with a plugin that aborts the process on a marker, for the crash-quarantine tests.
        .executableTarget(
            name: "FaultInjectionDaemon",
            dependencies: [
                "SiftDaemonCommands",
                "SiftBuiltinPlugins",
                "SiftPluginAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/Support/FaultInjectionDaemon"
        ),
        .testTarget(
            name: "SiftEndToEndTests",
            dependencies: ["siftd", "SiftDaemon", "FaultInjectionDaemon"],
            path: "Tests/SiftEndToEndTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The benchmarks and their dependency are part of the graph only when asked for
// (`make bench` sets SIFTD_BENCHMARKS=1), so that building and testing do not pay for them.
if ProcessInfo.processInfo.environment["SIFTD_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"])
    )
    package.targets.append(
        .executableTarget(
            name: "SpoolThroughput",
            dependencies: [
                "SiftDaemon",
                "SiftBuiltinPlugins",
                "SiftPluginAPI",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Benchmarks/SpoolThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
    package.targets.append(
        .executableTarget(
            name: "Models",
            dependencies: [
                "SiftLanguageID",
                "SiftEntityTagger",
                "SiftSummarizer",
                "SiftTextToolkit",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Models",
            exclude: ["sentences.txt"],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}

// The libFuzzer target over ingestion is part of the graph only when asked for (`make fuzz`
// sets SIFTD_FUZZ=1 and builds it with `-sanitize=fuzzer`; see scripts/fuzz.sh). It has no
// `main` of its own: libFuzzer's runtime supplies it.
if ProcessInfo.processInfo.environment["SIFTD_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "IngestionFuzzer",
            dependencies: ["SiftDaemon"],
            path: "Tests/Fuzz/IngestionFuzzer",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    )
}

// `make test`, and so CI, builds with SIFTD_STRICT=1: every warning in this package's own Swift
// code is an error there (dependencies keep theirs).
if ProcessInfo.processInfo.environment["SIFTD_STRICT"] != nil {
    for target in package.targets where [.regular, .executable, .test].contains(target.type) && target.name != "CLinux" {
        target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
    }
}
