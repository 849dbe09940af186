import ArgumentParser
import ReadingTimePlugin
import SiftBuiltinPlugins
import SiftDaemonCommands

/// siftd's commands (`run`, `process`, `check-config`, `plugins`) with one more plugin.
struct MySiftd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "my-siftd", subcommands: SiftDaemonCommands.all)
}

@main
enum Main {
    static func main() async {
        await SiftDaemonCommands.main(MySiftd.self) {
            try DaemonPlugins(
                BuiltinPlugins.all + [ReadingTimePlugin.registration],
                defaultPipeline: BuiltinPlugins.defaultPipeline + ["reading_time"]
            )
        }
    }
}
