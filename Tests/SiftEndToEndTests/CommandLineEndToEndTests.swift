import Foundation
import Testing

extension EndToEnd {
    @Suite("The other commands")
    struct CommandLineEndToEndTests {
        func run(_ arguments: [String], input: URL? = nil) throws -> (status: Int32, output: String) {
            try DaemonHarness.capture(
                DaemonHarness.binary, arguments,
                environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SIFTD_") }, input: input
            )
        }

        @Test("siftd process prints a result, or writes it to --outbox without replacing")
        func process() throws {
            let file = DaemonHarness.fixtures.appendingPathComponent("article.json").path
            let (status, output) = try run(["process", file])
            #expect(status == 0)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(result["title"] as? String == "Stoltenberg calls Sarraj")
            #expect(result["schema_version"] as? Int == 2)

            let harness = try DaemonHarness()
            for expected in ["article.json.json", "article.json.2.json"] {
                let written = try run(["process", "--outbox", harness.outbox.path, file])
                #expect(written.status == 0)
                #expect(written.output.contains(expected))
            }
            let bad = try run(["process", DaemonHarness.fixtures.appendingPathComponent("invalid-utf8.txt").path])
            #expect(bad.status == 1)
            #expect(bad.output.contains("not Arabic text in Windows-1256"))
        }

        @Test("siftd process prints one complete JSON object per line (JSON Lines), in the order of the files; --pretty indents")
        func processJSONLines() throws {
            let names = ["article.json", "notes.md", "article.html"]
            let files = names.map { DaemonHarness.fixtures.appendingPathComponent($0).path }
            let (status, output) = try DaemonHarness.captureStandardOutput(DaemonHarness.binary, ["process"] + files)
            #expect(status == 0)
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 4 && lines.last == "", "three lines, each ended by a newline")
            for (line, name) in zip(lines, names) {
                let result = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect((result["source"] as? [String: Any])?["name"] as? String == name)
                #expect(result["annotations"] is [String: Any])
            }

            let pretty = try DaemonHarness.captureStandardOutput(DaemonHarness.binary, ["process", "--pretty", files[0]])
            #expect(pretty.status == 0)
            #expect(pretty.output.split(separator: "\n").count > 20)
            #expect(try JSONSerialization.jsonObject(with: Data(pretty.output.utf8)) is [String: Any])
        }

        @Test("siftd process --files-from - reads paths line by line after its arguments; a bad line is reported and skipped")
        func processFilesFrom() throws {
            let harness = try DaemonHarness()
            let names = ["notes.md", "article.html", "article.json"]
            let paths = names.map { DaemonHarness.fixtures.appendingPathComponent($0).path }
            let list = harness.root.appendingPathComponent("list.txt")
            let overlong = String(repeating: "x", count: 5000)
            try Data("\(paths[1])\r\n\n\(overlong)\n\(paths[2])".utf8).write(to: list)
            let (status, output) = try run(["process", "--files-from", "-", paths[0]], input: list)
            #expect(status == 1, "a skipped line fails the run")
            let results = try output.split(separator: "\n").filter { $0.hasPrefix("{") }.map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
            #expect(results.compactMap { ($0["source"] as? [String: Any])?["name"] as? String } == names)
            #expect(output.contains("-:3: the line is longer than 4096 bytes; skipped"))

            let missing = try run(["process", "--files-from", harness.root.appendingPathComponent("absent").path])
            #expect(missing.status == 1)
            #expect(missing.output.contains("cannot read the list of files"))
            let nothing = try run(["process"])
            #expect(nothing.status == 64)
            #expect(nothing.output.contains("Give the files to process, or --files-from."))
        }

        @Test(
            "siftd process offers only one-shot options",
            arguments: ["--inbox", "--processed", "--failed", "--work", "--instance", "--spool", "--workers"])
        func processRefusesSpoolOptions(option: String) throws {
            let file = DaemonHarness.fixtures.appendingPathComponent("notes.md").path
            let (status, output) = try run(["process", option, "/tmp/x", file])
            #expect(status == 64)
            #expect(output.contains("Unknown option '\(option)'"))
        }

        @Test("siftd plugins lists each plugin with version, requirements and capabilities")
        func plugins() throws {
            let (status, output) = try run(["plugins"])
            #expect(status == 0)
            #expect(output.contains("text 2.0.0"))
            #expect(output.contains("provides: counts, scripts, title"))
            #expect(output.contains("external"))
            #expect(output.contains("option command: list of strings (required)"))
        }

        @Test("siftd eval ner scores a file against the bundled model; --mistakes lists what it got wrong, --calibration its confidences by band")
        func evalNer() throws {
            let harness = try DaemonHarness()
            // Gold that the model gets right (ليبيا, طرابلس) and a "person" it cannot know to be one.
            let file = harness.root.appendingPathComponent("gold.txt")
            try "وصل O\nالوفد O\nإلى O\nطرابلس B-LOC\nفي O\nليبيا B-LOC\n\nقال O\nالكتاب B-PERS\nشيئا O\n".write(
                to: file, atomically: true, encoding: .utf8)
            let (status, output) = try run(["eval", "ner", "--data", file.path, "--mistakes"])
            #expect(status == 0)
            #expect(output.contains("- PERS\tقال [الكتاب] شيئا"))
            #expect(!output.contains("[طرابلس]") && !output.contains("[ليبيا]"))
            #expect(output.contains("LOC    precision 100.00%  recall 100.00%"))
            #expect(output.contains("9 tokens in"))
            // --calibration: the names found, by confidence band; the two places are right.
            let (_, calibrated) = try run(["eval", "ner", "--data", file.path, "--calibration"])
            let bands = calibrated.split(separator: "\n").drop { !$0.hasPrefix("confidence") }.dropFirst()
            let found = bands.compactMap { Int($0.split(separator: " ")[1]) }.reduce(0, +)
            #expect(found >= 2 && calibrated.contains("(3 gold, \(found) predicted"))
            // A fraction out of range is a usage error, not a crash (`--last 10` trapped), as are
            // counts of classes out of range (`--coarse-classes=-2` trapped).
            for last in ["10", "0", "1.5"] {
                let (refused, message) = try run(["eval", "ner", "--data", file.path, "--last", last])
                #expect(refused == 64 && message.contains("--last must be above 0"), "\(last): \(refused) \(message)")
            }
            for classes in ["--coarse-classes=-2", "--fine-classes=0", "--fine-classes=5000"] {
                let (refused, message) = try run(["train", "word-classes", "--corpus", harness.root.path, "--out", "/dev/null", classes])
                #expect(refused == 64 && message.contains("--fine-classes must be 1 to 1024"), "\(classes): \(refused) \(message)")
            }
            let (refused, message) = try run(["train", "ner", "--data", file.path, "--out", "/dev/null", "--iterations=0"])
            #expect(refused == 64 && message.contains("--iterations must be positive"), "\(refused) \(message)")
            // A file that is not there is said so, not dumped as a Foundation error.
            let missing = harness.root.appendingPathComponent("missing.txt").path
            let (failed, said) = try run(["eval", "ner", "--data", missing])
            #expect(failed == 1 && said.contains("cannot read \(missing): no such file or directory"), "\(said)")
        }

        @Test("siftd tag prints a tag per token line by line, reading runs of sentences, or -DOCSTART- sections, as documents")
        func tag() throws {
            let harness = try DaemonHarness()
            let file = harness.root.appendingPathComponent("tokens.txt")
            func tags(_ input: String, _ arguments: [String] = []) throws -> [String] {
                try input.write(to: file, atomically: true, encoding: .utf8)
                let (status, output) = try run(["tag"] + arguments, input: file)
                #expect(status == 0)
                return output.split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: "\t").last.map(String.init) ?? "" }
            }
            // "السراج" alone is a surname only in a document that named فائز السراج in full.
            let named = "قال\nالرئيس\nخالد\nالسراج\n"
            let alone = "وأكد\nالسراج\nأن\nالاتفاق\nقائم\n"
            let together = try tags("\n" + named + "\n\n" + alone)
            #expect(together == ["", "O", "O", "B-PERS", "I-PERS", "", "", "O", "B-PERS", "O", "O", "O", ""])
            #expect(try tags(named + "\n" + alone, ["--document-sentences", "1"])[6] == "O")
            let sections = try tags(named + "-DOCSTART-\n" + alone)
            #expect(sections[4] == "-DOCSTART-" && sections[6] == "O" && sections.count == 11)
        }

        @Test("siftd summarize prints each file's summary; siftd eval summary scores against references")
        func summaries() throws {
            let harness = try DaemonHarness()
            let lead = "The council voted on Tuesday to keep the central library open on Sundays."
            let article = lead + " Sunday opening began last spring as a trial. Visitor numbers doubled. The library's director welcomed the vote.\n"
            let file = harness.root.appendingPathComponent("article.txt")
            try article.write(to: file, atomically: true, encoding: .utf8)
            let (status, output) = try run(["summarize", "--sentences", "1", file.path])
            #expect(status == 0)
            #expect(output == lead + "\n")
            #expect(try run(["summarize", "--sentences", "1", "--words", "5", file.path]).status != 0)

            // Two articles whose references are their lead sentences: the summary, cut at the references' length, is the lead.
            let data = harness.root.appendingPathComponent("easc")
            for topic in ["topic001", "topic002"] {
                let folder = data.appendingPathComponent(topic)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try ("\u{FEFF}" + article).write(to: folder.appendingPathComponent("article.txt"), atomically: true, encoding: .utf8)
                for reference in ["ref1.txt", "ref2.txt"] {
                    try lead.write(to: folder.appendingPathComponent(reference), atomically: true, encoding: .utf8)
                }
            }
            let evaluated = try run(["eval", "summary", "--data", data.path])
            #expect(evaluated.status == 0)
            #expect(evaluated.output.contains("ROUGE-1 F1 100.00  ROUGE-2 F1 100.00  (2 articles"))
            #expect(evaluated.output.contains("articles per second"))
        }

        @Test("siftd check-config validates without processing")
        func checkConfig() throws {
            let harness = try DaemonHarness()
            try harness.writeConfig("pipeline: [text]\nsettle_ms: 10\n")
            let good = try run(["check-config", "--config", harness.configFile.path])
            #expect(good.status == 0)
            #expect(good.output.contains("configuration OK"))
            try harness.writeConfig("pipeline: [text]\nsettle_ms: soon\n")
            let bad = try run(["check-config", "--config", harness.configFile.path])
            #expect(bad.status == 78)
            #expect(bad.output.contains("'settle_ms'"))
        }
    }
}

extension EndToEnd.CommandLineEndToEndTests {
    @Test("the annotated example configuration is valid as shipped")
    func exampleConfiguration() throws {
        let example = DaemonHarness.repository.appendingPathComponent("systemd/siftd.yaml").path
        let harness = try DaemonHarness()
        let (status, output) = try run(["check-config", "--config", example, "--spool", harness.spool.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("pipeline: text"))
    }
}
