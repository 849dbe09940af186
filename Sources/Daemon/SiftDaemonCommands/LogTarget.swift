import ArgumentParser

/// Where log lines go.
enum LogTarget: String, ExpressibleByArgument, CaseIterable {
    /// The journal when standard error is connected to it (as under systemd), else the console.
    case auto
    /// Readable lines on standard error.
    case console
    /// The systemd journal, with structured fields.
    case journal

    static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
