import Foundation
import SiftTextToolkit

/// The model trained from `../shared/data/wordfreq` and shipped with siftd, found by
/// ``BundledResource`` (beside the executable, or in `<prefix>/share/siftd/`).
public enum BundledLanguageModel {
    /// The file name of the model.
    public static let fileName = "langid.model"
    static let bundleName = "siftd_SiftLanguageID.resources"

    /// The bundled model's file.
    /// - Throws: ``LanguageModelError`` with code ``ModelError/Code/notFound`` naming the places tried.
    public static func url() throws -> URL {
        try BundledResource.url(bundle: bundleName, file: fileName, what: "the bundled language model")
    }

    /// Loads the bundled model.
    public static func load() throws -> LanguageModel {
        try LanguageModel(contentsOf: url())
    }
}
