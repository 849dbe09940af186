import Foundation

/// Finds a data file shipped with siftd (a trained model), relative to the running executable.
///
/// SwiftPM copies a target's resources into `<package>_<target>.resources/` beside the built
/// executable; `make install` puts them in `<prefix>/share/siftd/`. Both places are searched,
/// never through `Bundle.module`, which stops the process when its bundle is missing.
public enum BundledResource {
    /// Where `file` is looked for, in order.
    public static func candidates(bundle: String, file: String) -> [URL] {
        let executable = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments.first ?? "siftd")
        let directory = executable.deletingLastPathComponent()
        return [
            directory.appendingPathComponent(bundle).appendingPathComponent(file),
            directory.deletingLastPathComponent().appendingPathComponent("share/siftd").appendingPathComponent(file),
        ]
    }

    /// The first candidate that exists.
    /// - Throws: ``ModelError`` with code ``ModelError/Code/notFound`` naming `what` and the places tried.
    public static func url(bundle: String, file: String, what: String) throws -> URL {
        let candidates = candidates(bundle: bundle, file: file)
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw ModelError(.notFound, "\(what) is missing (looked in \(candidates.map(\.path).joined(separator: ", ")))")
        }
        return found
    }
}
