import Foundation

/// Output for line-by-line commands (`siftd langid`, `siftd tag`): collected and written in
/// blocks of about 64 KiB rather than a write per line.
struct StandardOutputBuffer {
    private var pending = ""

    /// Adds text; writes the block once it is large enough.
    mutating func write(_ text: String) {
        pending += text
        if pending.utf8.count > 1 << 16 { flush() }
    }

    /// Writes what is pending.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        FileHandle.standardOutput.write(Data(pending.utf8))
        pending = ""
    }
}
