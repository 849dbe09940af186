import Logging
import SiftPluginAPI

/// Builds a ``Pipeline`` from configuration and checks it before any document flows.
public struct PipelineBuilder: Sendable {
    /// The plugins that stages may name.
    public var registry: PluginRegistry
    /// The logger given to plugins.
    public var logger: Logger

    /// Creates a builder.
    public init(registry: PluginRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    /// Checks names, options and requirements that can be checked without starting anything.
    /// - Throws: ``SiftError`` `.invalidPipeline` naming the stage and the key.
    public func validateStatically(_ stages: [StageConfiguration]) throws {
        guard !stages.isEmpty else {
            throw SiftError(.invalidPipeline, "the pipeline is empty: list at least one stage under 'pipeline'")
        }
        var seen: Set<String> = []
        var provided: [String: String] = [:]
        var knowsAllProvisions = true
        for stage in stages {
            guard PluginRegistry.isValidName(stage.name) else {
                throw SiftError(.invalidPipeline, "stage name '\(stage.name)' must be lower-case letters, digits, '-' or '_'")
            }
            guard seen.insert(stage.name).inserted else {
                throw SiftError(.invalidPipeline, "stage '\(stage.name)' appears twice in the pipeline")
            }
            guard let registration = registry[stage.plugin] else {
                let known = registry.registrations.map(\.descriptor.name).joined(separator: ", ")
                throw SiftError(.invalidPipeline, "stage '\(stage.name)': unknown plugin '\(stage.plugin)' (known: \(known))")
            }
            do {
                _ = try registration.descriptor.resolveOptions(stage.options)
            } catch let error as PluginError {
                throw SiftError(.invalidPipeline, "stage '\(stage.name)' (plugin '\(stage.plugin)'): \(error.message)")
            }
            if registration.declaresAtRuntime {
                // What this stage provides is known only once it runs: check the rest when building.
                knowsAllProvisions = false
                continue
            }
            if knowsAllProvisions {
                try checkRequirements(of: stage, registration.descriptor, provided: provided)
            }
            try addProvisions(of: stage, registration.descriptor, to: &provided)
        }
    }

    /// Records what `stage` provides, rejecting a capability name that cannot be a key of a
    /// result's `annotations` and one that an earlier stage provides already: a result keeps
    /// each capability's value under its name, so a pipeline has one provider per capability.
    private func addProvisions(of stage: StageConfiguration, _ descriptor: PluginDescriptor, to provided: inout [String: String]) throws {
        for capability in descriptor.provides {
            guard PluginRegistry.isValidName(capability) else {
                throw SiftError(
                    .invalidPipeline,
                    "stage '\(stage.name)' (plugin '\(stage.plugin)') provides '\(capability)', which is not a valid capability name (lower-case letters, digits, '-' or '_', starting with a letter)"
                )
            }
            if let earlier = provided[capability] {
                let which = earlier == stage.name ? "twice" : "as stage '\(earlier)' does already"
                throw SiftError(
                    .invalidPipeline,
                    "stage '\(stage.name)' (plugin '\(stage.plugin)') provides '\(capability)' \(which); a capability has one provider in a pipeline, since results keep its value under annotations.\(capability)"
                )
            }
            provided[capability] = stage.name
        }
    }

    private func checkRequirements(of stage: StageConfiguration, _ descriptor: PluginDescriptor, provided: [String: String]) throws {
        for requirement in descriptor.requires where provided[requirement] == nil {
            let providers = registry.registrations.filter { $0.descriptor.provides.contains(requirement) }
                .map(\.descriptor.name)
            let hint = providers.isEmpty ? "" : " (provided by: \(providers.joined(separator: ", ")); put one before it)"
            throw SiftError(
                .invalidPipeline,
                "stage '\(stage.name)' (plugin '\(stage.plugin)') requires '\(requirement)', which no earlier stage provides\(hint)"
            )
        }
    }

    /// Builds every stage (starting external plugins) and checks that each requirement is provided earlier.
    /// On failure, whatever was started is shut down again.
    ///
    /// The stages are made side by side: loading the models is most of a daemon's start, and
    /// each stage loads its own. They are checked in pipeline order, and the first stage that
    /// failed in that order is the one reported.
    public func build(_ stages: [StageConfiguration]) async throws -> Pipeline {
        try validateStatically(stages)
        let made = await withTaskGroup(of: (Int, MadeStage).self) { group in
            for (index, stage) in stages.enumerated() {
                group.addTask { (index, await make(stage)) }
            }
            var made = [MadeStage?](repeating: nil, count: stages.count)
            for await (index, stage) in group { made[index] = stage }
            return made.map { $0! }
        }
        var built: [PipelineStage] = []
        do {
            var provided: [String: String] = [:]
            for (stage, made) in zip(stages, made) {
                let (instance, options) = try made.result.get()
                let descriptor = instance.descriptor ?? made.registration.descriptor
                built.append(PipelineStage(configuration: stage, descriptor: descriptor, options: options, instance: instance))
                try checkRequirements(of: stage, descriptor, provided: provided)
                try addProvisions(of: stage, descriptor, to: &provided)
            }
        } catch {
            for case .success(let (instance, _)) in made.map(\.result) { await instance.shutdown() }
            if let error = error as? SiftError { throw error }
            throw SiftError(.invalidPipeline, "cannot build the pipeline: \(error)")
        }
        return Pipeline(stages: built)
    }

    /// A stage made, or why it could not be.
    private struct MadeStage: Sendable {
        var registration: PluginRegistration
        var result: Result<(PluginInstance, PluginOptions), any Error>
    }

    private func make(_ stage: StageConfiguration) async -> MadeStage {
        let registration = registry[stage.plugin]!
        do {
            let options = try registration.descriptor.resolveOptions(stage.options)
            var stageLogger = logger
            stageLogger[metadataKey: "plugin"] = "\(stage.name)"
            let context = PluginContext(stageName: stage.name, options: options, logger: stageLogger)
            return MadeStage(registration: registration, result: .success((try await registration.makeInstance(context), options)))
        } catch let error as PluginError {
            let failure = SiftError(.invalidPipeline, "stage '\(stage.name)' (plugin '\(stage.plugin)'): \(error.message)")
            return MadeStage(registration: registration, result: .failure(failure))
        } catch {
            return MadeStage(registration: registration, result: .failure(error))
        }
    }
}
