import ArgumentParser
import Configuration

/// The options of the commands that work on a spool (`run`, `check-config`).
struct SpoolOptions: ParsableArguments {
    @OptionGroup var location: SpoolLocationOptions

    @Option(name: .long, help: "The inbox directory (overrides --spool).")
    var inbox: String?

    @Option(name: .long, help: "The outbox directory (overrides --spool).")
    var outbox: String?

    @Option(name: .long, help: "Where processed inputs go (overrides --spool).")
    var processed: String?

    @Option(name: .long, help: "Where failed inputs go (overrides --spool).")
    var failed: String?

    @Option(name: .long, help: "How many documents to process at once (default: the number of cores).")
    var workers: Int?

    /// The flags given, by configuration key.
    var overrides: [String: ConfigContent] {
        var values = location.overrides
        for (key, value) in [("inbox", inbox), ("outbox", outbox), ("processed", processed), ("failed", failed)] {
            if let value { values[key] = .string(ConfigurationOptions.absolute(value)) }
        }
        if let workers { values["workers"] = .int(workers) }
        return values
    }
}
