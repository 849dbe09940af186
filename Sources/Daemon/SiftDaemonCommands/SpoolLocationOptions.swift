import ArgumentParser
import Configuration

/// Where an instance lives: its spool, work directory and name; the options of every command
/// that finds an instance (`run`, `check-config`, `status`).
struct SpoolLocationOptions: ParsableArguments {
    @Option(name: .long, help: "The spool directory: DIR/inbox, DIR/outbox, DIR/processed, DIR/failed and DIR/work.")
    var spool: String?

    @Option(name: .long, help: "The work directory (overrides --spool).")
    var work: String?

    @Option(name: .long, help: "This instance's name (default: the host name); instances sharing a spool need distinct names.")
    var instance: String?

    /// The flags given, by configuration key.
    var overrides: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        if let spool { values["spool"] = .string(ConfigurationOptions.absolute(spool)) }
        if let work { values["work"] = .string(ConfigurationOptions.absolute(work)) }
        if let instance { values["instance"] = .string(instance) }
        return values
    }
}
