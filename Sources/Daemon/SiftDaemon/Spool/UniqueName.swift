/// The predictable names siftd tries, in order, when a name is taken: `report.txt`,
/// `report.2.txt`, `report.3.txt`, … (the number goes before the last extension). Every
/// candidate, with the suffix it is asked for, fits in a file name (``FileName/fitted(_:suffix:)``).
enum UniqueName {
    /// The `attempt`-th candidate for `name` (attempt 1 is the name itself), followed by `suffix`.
    static func candidate(_ name: String, attempt: Int, suffix: String = "") -> String {
        guard attempt > 1 else { return FileName.fitted(name, suffix: suffix) }
        let numbered: String
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            numbered = "\(name[..<dot]).\(attempt)\(name[dot...])"
        } else {
            numbered = "\(name).\(attempt)"
        }
        if numbered.utf8.count + suffix.utf8.count <= FileName.maximumBytes { return numbered + suffix }
        return FileName.fitted(name, suffix: ".\(attempt)" + suffix)
    }

    /// How many candidates siftd tries before it gives up on a name.
    static let maximumAttempts = 10_000
}
