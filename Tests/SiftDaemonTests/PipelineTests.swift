import SiftPluginAPI
import Testing

@testable import SiftDaemon

@Suite("Pipeline: validation and per-document failures")
struct PipelineTests {
    let builder = PipelineBuilder(registry: TestPlugins.registry, logger: TestPlugins.logger)

    @Test("later stages see earlier stages' capabilities")
    func passesAnnotations() async throws {
        let pipeline = try await builder.build([StageConfiguration(name: "upper"), StageConfiguration(name: "length")])
        let run = await pipeline.run(TestPlugins.document("hello"))
        #expect(run.annotations == ["upper": "HELLO", "length": 5])
        #expect(run.providers == ["upper": "upper", "length": "length"])
        #expect(run.isComplete)
        #expect(run.reports.map(\.status) == ["ok", "ok"])
    }

    @Test(
        "invalid pipelines are rejected with the stage and the key named",
        arguments: [
            ([StageConfiguration(name: "nope")], "stage 'nope': unknown plugin 'nope'"),
            (
                [StageConfiguration(name: "length")],
                "stage 'length' (plugin 'length') requires 'upper', which no earlier stage provides (provided by: upper"
            ),
            ([StageConfiguration(name: "length"), StageConfiguration(name: "upper")], "requires 'upper'"),
            (
                [StageConfiguration(name: "upper", options: ["limit": 1000])],
                "stage 'upper' (plugin 'upper'): option 'limit' must be integer 1...100, got 1000"
            ),
            ([StageConfiguration(name: "upper", options: ["limti": 5])], "unknown option 'limti' (known: limit)"),
            ([StageConfiguration(name: "upper"), StageConfiguration(name: "upper")], "stage 'upper' appears twice"),
            (
                [StageConfiguration(name: "first", plugin: "upper"), StageConfiguration(name: "second", plugin: "upper")],
                "stage 'second' (plugin 'upper') provides 'upper' as stage 'first' does already; a capability has one provider in a pipeline"
            ),
            (
                [StageConfiguration(name: "upper"), StageConfiguration(name: "copycat")],
                "stage 'copycat' (plugin 'copycat') provides 'upper' as stage 'upper'"
            ),
            ([StageConfiguration(name: "stutter")], "stage 'stutter' (plugin 'stutter') provides 'said' twice"),
            ([StageConfiguration(name: "shouty")], "stage 'shouty' (plugin 'shouty') provides 'Loud', which is not a valid capability name"),
            ([], "the pipeline is empty"),
            ([StageConfiguration(name: "Bad Name", plugin: "upper")], "stage name 'Bad Name'"),
        ]
    )
    func rejectsInvalid(stages: [StageConfiguration], message: String) async throws {
        let error = await #expect(throws: SiftError.self) { try await builder.build(stages) }
        #expect(error?.code == .invalidPipeline)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test("a stage may run a plugin under another name; its annotations are keyed by capability, its report by stage")
    func stageAliases() async throws {
        let pipeline = try await builder.build([StageConfiguration(name: "shout", plugin: "upper", options: ["limit": 3])])
        let run = await pipeline.run(TestPlugins.document())
        #expect(run.annotations == ["upper": "ABC"])
        #expect(run.providers == ["upper": "shout"])
        #expect(run.reports.map(\.stage) == ["shout"])
        #expect(run.reports.map(\.plugin) == ["upper"])
        #expect(pipeline.stages[0].options.int("limit") == 3)
    }

    @Test("a failing stage is recorded; later stages that need it are skipped; the rest run")
    func recordsFailures() async throws {
        let pipeline = try await builder.build([
            StageConfiguration(name: "boom"), StageConfiguration(name: "needs-boom"), StageConfiguration(name: "upper"),
        ])
        let run = await pipeline.run(TestPlugins.document())
        #expect(run.reports.map(\.status) == ["failed", "skipped", "ok"])
        #expect(run.reports[0].error == ResultRecord.ErrorReport(code: "processing_failed", message: "it exploded"))
        #expect(run.reports[1].error?.code == "missing_requirement")
        #expect(run.failingStage == nil)
        #expect(!run.isComplete)
    }

    @Test("with on_error: fail, the failing stage fails the document and stops the run")
    func failPolicy() async throws {
        let pipeline = try await builder.build([
            StageConfiguration(name: "boom", onError: .fail), StageConfiguration(name: "upper"),
        ])
        let run = await pipeline.run(TestPlugins.document())
        #expect(run.failingStage?.stage == "boom")
        #expect(run.reports.count == 1)
    }

    @Test("a stage past its timeout is cancelled and recorded as a timeout")
    func timeout() async throws {
        let pipeline = try await builder.build([StageConfiguration(name: "slow", timeout: .milliseconds(100))])
        let clock = ContinuousClock()
        let start = clock.now
        let run = await pipeline.run(TestPlugins.document())
        #expect(clock.now - start < .seconds(10))
        #expect(run.reports.first?.status == "timeout")
        #expect(run.reports.first?.error?.code == "timed_out")
    }

    @Test("a stage that does not return what it declares fails")
    func missingProvision() async throws {
        let pipeline = try await builder.build([StageConfiguration(name: "liar")])
        let run = await pipeline.run(TestPlugins.document())
        #expect(run.reports.first?.error?.code == "missing_provision")
    }

    @Test("a stage that returns a member it does not declare fails, and keeps nothing of its answer")
    func undeclaredProvision() async throws {
        let pipeline = try await builder.build([StageConfiguration(name: "chatty"), StageConfiguration(name: "upper")])
        let run = await pipeline.run(TestPlugins.document())
        #expect(run.reports.map(\.status) == ["failed", "ok"])
        #expect(
            run.reports[0].error
                == ResultRecord.ErrorReport(
                    code: "undeclared_provision", message: "the plugin returned aside, which it does not declare to provide (it declares: said)"
                ))
        #expect(run.annotations == ["upper": "ABC"])
    }

    @Test("duplicate plugin names are rejected at registration")
    func duplicateRegistration() {
        let registration = TestPlugins.plugin("twice", provides: ["x"]) { _ in ["x": 1] }
        #expect(throws: PluginError.self) { try PluginRegistry([registration, registration]) }
    }
}
