import Foundation
import Testing

extension EndToEnd {
    @Suite("The composition root: the daemon core knows no plugin; any executable assembles its own")
    struct CompositionEndToEndTests {
        /// The package's manifest as SwiftPM reads it. It is read from a copy because SwiftPM
        /// locks the package's build folder, which `swift test` holds while this runs.
        static func manifest() throws -> [String: Any] {
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("siftd-manifest-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: copy) }
            try FileManager.default.copyItem(
                at: DaemonHarness.repository.appendingPathComponent("Package.swift"), to: copy.appendingPathComponent("Package.swift")
            )
            let (status, output) = try DaemonHarness.captureStandardOutput(
                "/usr/bin/env", ["swift", "package", "--package-path", copy.path, "dump-package"]
            )
            #expect(status == 0)
            return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        }

        @Test("SiftDaemon neither depends on nor names a built-in plugin or the libraries behind them")
        func coreKnowsNoPlugin() throws {
            let targets = try #require(try Self.manifest()["targets"] as? [[String: Any]])
            let core = try #require(targets.first { $0["name"] as? String == "SiftDaemon" })
            // Each dependency is {"byName"|"target"|"product": [name, …]}.
            let entries = try #require(core["dependencies"] as? [[String: [Any]]])
            let dependencies = Set(entries.compactMap { $0.values.first?.first as? String })
            #expect(dependencies.contains("SiftPluginAPI"), "the manifest was read")
            let pluginModules = ["SiftBuiltinPlugins", "SiftLanguageID", "SiftEntityTagger", "SiftSummarizer", "SiftTextToolkit"]
            #expect(dependencies.isDisjoint(with: pluginModules))

            let sources = DaemonHarness.repository.appendingPathComponent("Sources/Daemon/SiftDaemon")
            let files = try #require(FileManager.default.subpaths(atPath: sources.path)).filter { $0.hasSuffix(".swift") }
            #expect(files.count > 40, "the core's sources were found")
            let names = pluginModules + ["BuiltinPlugins", "TextStatsPlugin", "LanguagePlugin", "EntitiesPlugin", "SummaryPlugin"]
            for file in files {
                let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
                for name in names { #expect(!text.contains(name), "\(file) names \(name)") }
                // "text" and "summary" are also fields of documents and of the external protocol.
                #expect(!text.contains("\"entities\"") && !text.contains("\"language\""), "\(file) names a built-in stage")
            }
        }

        @Test("examples/swift-plugin builds a daemon with the built-ins and its own plugin, and runs it on a seed")
        func swiftPluginExample() throws {
            let example = DaemonHarness.repository.appendingPathComponent("examples/swift-plugin")
            let build = try DaemonHarness.capture("/usr/bin/env", ["swift", "build", "--package-path", example.path])
            #expect(build.0 == 0, "\(build.1)")
            let binary = example.appendingPathComponent(".build/debug/my-siftd").path

            let seeds = DaemonHarness.repository.appendingPathComponent("seeds")
            let seed = try #require(try FileManager.default.contentsOfDirectory(atPath: seeds.path).sorted().first)
            let (status, output) = try DaemonHarness.captureStandardOutput(binary, ["process", seeds.appendingPathComponent(seed).path])
            #expect(status == 0)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let annotations = try #require(result["annotations"] as? [String: Any])
            #expect(annotations["entities"] != nil && annotations["summary"] != nil, "the built-in default pipeline ran")
            let readingTime = try #require(annotations["reading_time"] as? [String: Any])
            #expect((readingTime["seconds"] as? Int ?? 0) > 0)
            #expect(readingTime["words_per_minute"] as? Int == 180)

            let plugins = try DaemonHarness.captureStandardOutput(binary, ["plugins"])
            #expect(plugins.output.contains("reading_time 1.0.0"))
            #expect(plugins.output.contains("option words_per_minute: integer 50...1000 (default: 180)"))
        }
    }
}
