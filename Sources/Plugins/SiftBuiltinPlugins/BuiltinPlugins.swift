public import SiftPluginAPI

/// The plugins that ship with siftd, registered explicitly in one list.
public enum BuiltinPlugins {
    /// Every built-in plugin, in the order `siftd plugins` lists them.
    public static let all: [PluginRegistration] = [
        TextStatsPlugin.registration,
        LanguagePlugin.registration,
        EntitiesPlugin.registration,
        SummaryPlugin.registration,
    ]

    /// The pipeline siftd runs when its configuration names none: every built-in plugin, in order.
    public static let defaultPipeline = ["text", "language", "entities", "summary"]
}
