// swift-tools-version: 6.2
import PackageDescription

// A daemon of one's own: siftd's built-in plugins plus one more, on siftd's command line.
let package = Package(
    name: "swift-plugin",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "siftd", path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The plugin needs only the plugin API.
        .target(
            name: "ReadingTimePlugin",
            dependencies: [.product(name: "SiftPluginAPI", package: "siftd")]
        ),
        // The executable assembles the plugins and hands them to siftd's command line.
        .executableTarget(
            name: "my-siftd",
            dependencies: [
                "ReadingTimePlugin",
                .product(name: "SiftBuiltinPlugins", package: "siftd"),
                .product(name: "SiftDaemonCommands", package: "siftd"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
