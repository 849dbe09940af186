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
        #expect(run.annotations["upper"]?["upper"] == "HELLO")
        #expect(run.annotations["length"]?["length"] == 5)
        #expect(run.isComplete)
        #expect(run.reports.map(\.status) == ["ok", "ok"])
    }

    @Test(
        "invalid pipelines are rejected with the stage and the key named",
        arguments: [
            ([StageConfiguration(name: "nope")], "stage 'nope': unknown plugin 'nope'"),
            ([StageConfiguration(name: "length")], "stage 'length' (plugin 'length') requires 'upper', which no earlier stage provides (provided by: upper"),
            ([StageConfiguration(name: "length"), StageConfiguration(name: "upper")], "requires 'upper'"),
            ([StageConfiguration(name: "upper", options: ["limit": 1000])], "stage 'upper' (plugin 'upper'): option 'limit' must be integer 1...100, got 1000"),
            ([StageConfiguration(name: "upper", options: ["limti": 5])], "unknown option 'limti' (known: limit)"),
            ([StageConfiguration(name: "upper"), StageConfiguration(name: "upper")], "stage 'upper' appears twice"),
            ([], "the pipeline is empty"),
            ([StageConfiguration(name: "Bad Name", plugin: "upper")], "stage name 'Bad Name'"),
        ]
    )
    func rejectsInvalid(stages: [StageConfiguration], message: String) async throws {
        let error = await #expect(throws: SiftError.self) { try await builder.build(stages) }
        #expect(error?.code == .invalidPipeline)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test("the same plugin can run as two stages under different names")
    func stageAliases() async throws {
        let pipeline = try await builder.build([
            StageConfiguration(name: "first", plugin: "upper"), StageConfiguration(name: "second", plugin: "upper", options: ["limit": 3]),
        ])
        let run = await pipeline.run(TestPlugins.document())
        #expect(Set(run.annotations.keys) == ["first", "second"])
        #expect(pipeline.stages[1].options.int("limit") == 3)
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

    @Test("duplicate plugin names are rejected at registration")
    func duplicateRegistration() {
        let registration = TestPlugins.plugin("twice", provides: ["x"]) { _ in ["x": 1] }
        #expect(throws: PluginError.self) { try PluginRegistry([registration, registration]) }
    }
}
