import Foundation
import SiftTextToolkit

/// The model trained from `../shared/data/wordfreq` and shipped with siftd, found by
/// ``BundledResource`` (beside the executable, or in `<prefix>/share/siftd/`).
public enum BundledLanguageModel {
    /// The file name of the model.
    public static let fileName = "langid.model"
    static let bundleName = "siftd_SiftLanguageID.resources"

    /// The bundled model's file.
    /// - Throws: ``LanguageModelError`` with code ``LanguageModelError/Code/notFound`` naming the places tried.
    public static func url() throws -> URL {
        let found = BundledResource.locate(bundle: bundleName, file: fileName)
        guard let url = found.url else {
            throw LanguageModelError(
                .notFound, "the bundled language model is missing (looked in \(found.tried.map(\.path).joined(separator: ", ")))")
        }
        return url
    }

    /// Loads the bundled model.
    public static func load() throws -> LanguageModel {
        try LanguageModel(contentsOf: url())
    }
}
