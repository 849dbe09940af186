import Foundation
import Synchronization

/// Loaded models, shared by every stage and pipeline of the process: a reload that keeps a
/// model does not read it again; one that finds the file changed (size or modification time) does.
final class ModelCache<Model: Sendable>: Sendable {
    private struct Key: Hashable {
        var path: String
        var size: Int64
        var modified: Int
    }

    private let models = Mutex<[Key: Model]>([:])
    private let load: @Sendable (URL) throws -> Model

    /// Creates a cache that reads models with `load`.
    init(load: @escaping @Sendable (URL) throws -> Model) {
        self.load = load
    }

    /// The model in `url`.
    /// - Throws: what `load` throws (a missing file fails there, with the model's own error).
    func model(at url: URL) throws -> Model {
        var status = stat()
        guard stat(url.path, &status) == 0 else { return try load(url) }
        let key = Key(
            path: url.path, size: Int64(status.st_size),
            modified: Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec))
        if let model = models.withLock({ $0[key] }) { return model }
        let model = try load(url)
        models.withLock { models in
            models = models.filter { $0.key.path != key.path }
            models[key] = model
        }
        return model
    }
}
