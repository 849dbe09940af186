public import ArgumentParser
import Foundation

/// The daemon's command line — `run`, `process`, `check-config` and `plugins` — for any
/// executable that assembles its own plugins.
///
/// ```swift
/// struct MyDaemon: AsyncParsableCommand {
///     static let configuration = CommandConfiguration(subcommands: SiftDaemonCommands.all)
/// }
///
/// @main enum Main {
///     static func main() async {
///         await SiftDaemonCommands.main(MyDaemon.self) {
///             try DaemonPlugins(BuiltinPlugins.all + [Shout.registration], defaultPipeline: ["text", "shout"])
///         }
///     }
/// }
/// ```
public enum SiftDaemonCommands {
    /// The subcommands, for a root command's `subcommands`.
    public static let all: [any ParsableCommand.Type] = [
        RunCommand.self, ProcessCommand.self, PluginsCommand.self, CheckConfigCommand.self, StatusCommand.self,
    ]

    @TaskLocal static var current: DaemonPlugins?

    /// Parses the command line with `root` and runs the chosen command with `plugins`.
    ///
    /// An assembly that cannot be built (two plugins with one name, an unknown plugin in the
    /// default pipeline) is reported on standard error and ends the process with status 70.
    public static func main<Root: AsyncParsableCommand>(
        _ root: Root.Type, plugins: @Sendable () throws -> DaemonPlugins
    ) async {
        let assembled: DaemonPlugins
        do {
            assembled = try plugins()
        } catch {
            FileHandle.standardError.write(Data("\(root.configuration.commandName ?? "siftd"): cannot assemble the plugins: \(error)\n".utf8))
            exit(70)  // EX_SOFTWARE
        }
        await $current.withValue(assembled) {
            // As `root.main()` does, but a file that cannot be read is said so in a sentence, not as
            // Foundation's error dump.
            do {
                var command = try await root.asyncParseAsRoot()
                if var command = command as? any AsyncParsableCommand {
                    try await command.run()
                } else {
                    try command.run()
                }
            } catch {
                root.exit(withError: UnreadableFileError(error) ?? error)
            }
        }
    }

    /// The plugins handed to ``main(_:plugins:)``.
    static func plugins() throws -> DaemonPlugins {
        guard let current else {
            throw ValidationError("no plugins were assembled: start the command line with SiftDaemonCommands.main")
        }
        return current
    }
}
