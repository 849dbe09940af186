import Foundation

/// The model trained from `../shared/data/wordfreq` and shipped with siftd.
///
/// SwiftPM copies it into `siftd_SiftLanguageID.resources/` beside the built executable;
/// `make install` puts it in `<prefix>/share/siftd/`. It is looked up in both places relative
/// to the running executable, never through `Bundle.module`, which stops the process when its
/// bundle is missing.
public enum BundledLanguageModel {
    /// The file name of the model.
    public static let fileName = "langid.model"
    static let bundleName = "siftd_SiftLanguageID.resources"

    /// Where the model is looked for, in order.
    public static var candidates: [URL] {
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "siftd")
        let directory = executable.deletingLastPathComponent()
        return [
            directory.appendingPathComponent(bundleName).appendingPathComponent(fileName),
            directory.deletingLastPathComponent().appendingPathComponent("share/siftd").appendingPathComponent(fileName),
        ]
    }

    /// The first candidate that exists.
    /// - Throws: ``LanguageModelError`` with code ``LanguageModelError/Code/notFound`` naming the places tried.
    public static func url() throws -> URL {
        let candidates = candidates
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw LanguageModelError(
                .notFound, "the bundled language model is missing (looked in \(candidates.map(\.path).joined(separator: ", ")))")
        }
        return found
    }

    /// Loads the bundled model.
    public static func load() throws -> LanguageModel {
        try LanguageModel(contentsOf: url())
    }
}
