/// Which names in the inbox are documents: not dotfiles, not editors' or downloaders' temporary files.
public enum InboxFilter {
    private static let temporarySuffixes = [".part", ".partial", ".tmp", ".temp", "~", ".swp", ".swx", ".crdownload"]

    /// Whether `name` should be considered at all.
    public static func accepts(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix(".") else { return false }
        let lowercased = name.lowercased()
        return !temporarySuffixes.contains { lowercased.hasSuffix($0) }
    }
}
