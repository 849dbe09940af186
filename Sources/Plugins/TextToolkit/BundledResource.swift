import Foundation

/// Finds a data file shipped with siftd (a trained model), relative to the running executable.
///
/// SwiftPM copies a target's resources into `<package>_<target>.resources/` beside the built
/// executable; `make install` puts them in `<prefix>/share/siftd/`. Both places are searched,
/// never through `Bundle.module`, which stops the process when its bundle is missing.
public enum BundledResource {
    /// Where `file` is looked for, in order.
    public static func candidates(bundle: String, file: String) -> [URL] {
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "siftd")
        let directory = executable.deletingLastPathComponent()
        return [
            directory.appendingPathComponent(bundle).appendingPathComponent(file),
            directory.deletingLastPathComponent().appendingPathComponent("share/siftd").appendingPathComponent(file),
        ]
    }

    /// The first candidate that exists, or `nil` with the places tried.
    public static func locate(bundle: String, file: String) -> (url: URL?, tried: [URL]) {
        let candidates = candidates(bundle: bundle, file: file)
        return (candidates.first { FileManager.default.fileExists(atPath: $0.path) }, candidates)
    }
}
