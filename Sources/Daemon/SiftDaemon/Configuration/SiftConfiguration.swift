import Logging
import SystemPackage

/// Everything the daemon is configured with, validated.
public struct SiftConfiguration: Sendable {
    /// How the inbox is watched.
    public enum WatchMode: String, Sendable, CaseIterable {
        /// inotify events plus a periodic safety rescan.
        case inotify
        /// Periodic listing only, for network file systems where inotify sees nothing.
        case polling
    }

    /// How result files are written.
    public enum ResultFormat: String, Sendable, CaseIterable {
        /// One line of JSON: what programs read, and the cheapest to write.
        case compact
        /// Indented JSON, for people reading the outbox.
        case pretty
    }

    /// The spool directories.
    public var layout: SpoolLayout
    /// This instance's name; instances sharing a spool need distinct names.
    public var instance: String
    /// How many documents are processed at once.
    public var workers: Int
    /// The largest input accepted, in bytes.
    public var maxFileBytes: Int
    /// The deepest nesting of HTML elements accepted.
    public var maxHTMLDepth: Int = IngestionLimits.default.maxHTMLDepth
    /// The deepest nesting of JSON arrays and objects accepted.
    public var maxJSONDepth: Int = IngestionLimits.default.maxJSONDepth
    /// Whether inputs with more than one hard link are read.
    public var allowHardLinks: Bool = false
    /// How long reading and extracting one input may take.
    public var ingestTimeout: Duration = .seconds(10)
    /// How long a file written in place must stay unchanged before it is taken.
    public var settle: Duration
    /// How often the inbox is listed in full as a safety net (inotify mode).
    public var rescanInterval: Duration
    /// inotify or polling.
    public var watchMode: WatchMode
    /// How often the inbox is listed in polling mode.
    public var pollInterval: Duration
    /// Delete inputs after success instead of moving them to `processed/`.
    public var deleteProcessed: Bool
    /// How result files are written.
    public var resultFormat: ResultFormat = .compact
    /// The most inbox files known at once (settling or ready); a larger backlog waits in the
    /// inbox and is listed part by part.
    public var maxQueued: Int = Intake.defaultCapacity
    /// Where the metrics endpoint listens; `nil`: no endpoint.
    public var metricsListen: ListenAddress?
    /// The least severe level logged.
    public var logLevel: Logger.Level
    /// The pipeline's stages in order.
    public var stages: [StageConfiguration]
    /// The configuration file that was read, if any.
    public var file: FilePath?

    /// The bounds inputs are read within.
    public var ingestionLimits: IngestionLimits {
        IngestionLimits(maxBytes: maxFileBytes, maxHTMLDepth: maxHTMLDepth, maxJSONDepth: maxJSONDepth, allowHardLinks: allowHardLinks)
    }
}
