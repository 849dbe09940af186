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
}
