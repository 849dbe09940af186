import ArgumentParser
import Configuration

/// The options of the commands that work on a spool (`run`, `check-config`).
struct SpoolOptions: ParsableArguments {
    @Option(name: .long, help: "The spool directory: DIR/inbox, DIR/outbox, DIR/processed, DIR/failed and DIR/work.")
    var spool: String?

    @Option(name: .long, help: "The inbox directory (overrides --spool).")
    var inbox: String?

    @Option(name: .long, help: "The outbox directory (overrides --spool).")
    var outbox: String?

    @Option(name: .long, help: "Where processed inputs go (overrides --spool).")
    var processed: String?

    @Option(name: .long, help: "Where failed inputs go (overrides --spool).")
    var failed: String?

    @Option(name: .long, help: "The work directory (overrides --spool).")
    var work: String?

    @Option(name: .long, help: "This instance's name (default: the host name); instances sharing a spool need distinct names.")
    var instance: String?

    @Option(name: .long, help: "How many documents to process at once (default: the number of cores).")
    var workers: Int?

    /// The flags given, by configuration key.
    var overrides: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        let directories = [("spool", spool), ("inbox", inbox), ("outbox", outbox), ("processed", processed), ("failed", failed), ("work", work)]
        for (key, value) in directories {
            if let value { values[key] = .string(ConfigurationOptions.absolute(value)) }
        }
        if let instance { values["instance"] = .string(instance) }
        if let workers { values["workers"] = .int(workers) }
        return values
    }
}
