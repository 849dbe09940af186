import Foundation
import SiftLanguageID
import Synchronization

/// Loaded language models, shared by every stage and pipeline of the process: a reload that
/// keeps the model does not read it again, one that finds the file changed does.
final class LanguageModelStore: Sendable {
    /// The process-wide store.
    static let shared = LanguageModelStore()

    private struct Key: Hashable {
        var path: String
        var size: Int64
        var modified: Int
    }

    private let models = Mutex<[Key: LanguageModel]>([:])

    /// The model at `path`, or the bundled one when `path` is nil.
    func model(at path: String?) throws -> LanguageModel {
        let url = try path.map { URL(fileURLWithPath: $0) } ?? BundledLanguageModel.url()
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw LanguageModelError(errno == ENOENT ? .notFound : .unreadable, "cannot open \(url.path): \(String(cString: strerror(errno)))")
        }
        let key = Key(path: url.path, size: Int64(status.st_size), modified: Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec))
        if let model = models.withLock({ $0[key] }) { return model }
        let model = try LanguageModel(contentsOf: url)
        models.withLock { models in
            models = models.filter { $0.key.path != key.path }
            models[key] = model
        }
        return model
    }
}
