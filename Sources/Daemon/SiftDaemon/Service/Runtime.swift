import Logging

/// What a document is processed with; replaced as a whole on reload.
public struct Runtime: Sendable {
    /// The configuration it was built from.
    public var configuration: SiftConfiguration
    /// The built pipeline.
    public var pipeline: Pipeline
    /// The per-document workflow.
    public var workflow: DocumentWorkflow
}

/// Hands out the current ``Runtime`` and retires old pipelines once no document uses them.
actor RuntimeHolder {
    private var current: Runtime
    private var generation = 0
    private var inUse: [Int: Int] = [:]
    private var retired: [Int: Pipeline] = [:]

    init(_ runtime: Runtime) {
        current = runtime
    }

    var configuration: SiftConfiguration { current.configuration }

    func checkout() -> (Runtime, Int) {
        inUse[generation, default: 0] += 1
        return (current, generation)
    }

    func checkin(_ generation: Int) async {
        inUse[generation, default: 1] -= 1
        if inUse[generation] == 0, let pipeline = retired.removeValue(forKey: generation) {
            inUse.removeValue(forKey: generation)
            await pipeline.shutdown()
        }
    }

    func replace(with runtime: Runtime) async {
        let old = current.pipeline
        let oldGeneration = generation
        current = runtime
        generation += 1
        if (inUse[oldGeneration] ?? 0) == 0 {
            await old.shutdown()
        } else {
            retired[oldGeneration] = old
        }
    }

    func shutdown() async {
        await current.pipeline.shutdown()
        for pipeline in retired.values { await pipeline.shutdown() }
        retired.removeAll()
    }
}
