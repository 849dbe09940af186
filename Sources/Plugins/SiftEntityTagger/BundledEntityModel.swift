import Foundation
import SiftTextToolkit

/// The Arabic entity model trained from ANERcorp and shipped with siftd, found by
/// ``BundledResource`` (beside the executable, or in `<prefix>/share/siftd/`).
public enum BundledEntityModel {
    /// The file name of the model.
    public static let fileName = "ner.model"
    static let bundleName = "siftd_SiftEntityTagger.resources"

    /// The bundled model's file.
    /// - Throws: ``EntityModelError`` with code ``ModelError/Code/notFound`` naming the places tried.
    public static func url() throws -> URL {
        try BundledResource.url(bundle: bundleName, file: fileName, what: "the bundled entity model")
    }

    /// Loads the bundled model.
    public static func load() throws -> EntityModel {
        try EntityModel(contentsOf: url())
    }
}
