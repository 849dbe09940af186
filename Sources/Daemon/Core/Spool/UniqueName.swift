/// The predictable names siftd tries, in order, when a name is taken: `report.txt`,
/// `report.2.txt`, `report.3.txt`, … (the number goes before the last extension).
enum UniqueName {
    /// The `attempt`-th candidate for `name` (attempt 1 is the name itself).
    static func candidate(_ name: String, attempt: Int) -> String {
        guard attempt > 1 else { return name }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return "\(name[..<dot]).\(attempt)\(name[dot...])"
        }
        return "\(name).\(attempt)"
    }

    /// How many candidates siftd tries before it gives up on a name.
    static let maximumAttempts = 10_000
}
