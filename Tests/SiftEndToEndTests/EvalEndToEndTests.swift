import Foundation
import Testing

extension EndToEnd {
    /// `siftd eval` must measure what the daemon writes: for the same document and the same
    /// configuration, the annotations it scores are those `siftd process` prints.
    @Suite("siftd eval and the daemon")
    struct EvalEndToEndTests {
        /// A seed article: a title line, boilerplate lines, names and a long paragraph, so that
        /// every built-in stage has something to say.
        static let article = DaemonHarness.repository.appendingPathComponent("seeds/000_717ed1235d1321f2.txt")

        /// Stage options away from the plugins' defaults: an evaluation that ignored the
        /// configuration would give other annotations.
        static let configuration = """
            plugins:
              language:
                options:
                  max_words: 10
                  min_confidence: 0.7
              entities:
                options:
                  min_confidence: 0.6
              summary:
                options:
                  words: 60
                  key_phrases: 4

            """

        func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try DaemonHarness.captureStandardOutput(DaemonHarness.binary, arguments)
        }

        /// The annotations of each document in `output` (the JSON lines of `siftd process`, or
        /// of `siftd eval … --results`), in order.
        func annotations(_ output: String) throws -> [NSDictionary] {
            try output.split(separator: "\n").filter { $0.hasPrefix("{") }.map { line in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return try #require(object["annotations"] as? [String: Any]) as NSDictionary
            }
        }

        @Test("siftd eval and the daemon give identical annotations for the same document: summary")
        func summary() throws {
            let harness = try DaemonHarness()
            try harness.writeConfig(Self.configuration)
            let folder = harness.root.appendingPathComponent("easc/topic001")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let article = folder.appendingPathComponent("article.txt")
            try FileManager.default.copyItem(at: Self.article, to: article)

            let processed = try run(["process", "--config", harness.configFile.path, article.path])
            #expect(processed.status == 0)
            let daemon = try #require(try annotations(processed.output).first)
            let summary = try #require(daemon["summary"] as? [String: Any])
            #expect(summary["length"] as? [String: Int] == ["words": 60], "the configured length")
            let text = try #require(summary["text"] as? String)
            #expect(!text.isEmpty)
            // The daemon's own summary as the reference: the text scored is that summary exactly when ROUGE is 100.
            try text.write(to: folder.appendingPathComponent("ref1.txt"), atomically: true, encoding: .utf8)

            let evaluated = try run([
                "eval", "summary", "--data", harness.root.appendingPathComponent("easc").path, "--config", harness.configFile.path, "--results",
            ])
            #expect(evaluated.status == 0)
            let scored = try annotations(evaluated.output)
            #expect(scored.count == 1)
            #expect(scored.first == daemon, "every capability, summary included, as siftd process gives it")
            #expect(evaluated.output.contains("ROUGE-1 F1 100.00  ROUGE-2 F1 100.00  (1 articles"))
            #expect(evaluated.output.contains("words 60"))
        }

        @Test("siftd eval and the daemon give identical annotations for the same document: language")
        func language() throws {
            let harness = try DaemonHarness()
            try harness.writeConfig(Self.configuration)
            // A headline of the seed article, an English sentence (whose candidates the 10 words read
            // change), and a word Persian and Urdu share, found Persian with a confidence of 0.68:
            // `und` under the configured min_confidence.
            let samples = [
                ("sentences", "ar", "أمين حلف الناتو للسراج: “الوفاق” شرعية ولا حل عسكري للازمة #قناة_الجماهيرية_العظمى_قناة_كل_الجماهير"),
                (
                    "sentences", "en",
                    "The council voted on Tuesday to keep the central library open on Sundays, after a trial that doubled the visitors."
                ),
                ("single-words", "fa", "کتاب"),
            ]
            let data = harness.root.appendingPathComponent("langid")
            var files: [String] = []
            for (index, (category, code, line)) in samples.enumerated() {
                let folder = data.appendingPathComponent(category)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try (line + "\n").write(to: folder.appendingPathComponent("\(code).txt"), atomically: true, encoding: .utf8)
                let file = harness.root.appendingPathComponent("line\(index).txt")
                try line.write(to: file, atomically: true, encoding: .utf8)
                files.append(file.path)
            }

            let processed = try run(["process", "--config", harness.configFile.path] + files)
            #expect(processed.status == 0)
            let daemon = try annotations(processed.output)
            let evaluated = try run(["eval", "langid", "--data", data.path, "--config", harness.configFile.path, "--results"])
            #expect(evaluated.status == 0)
            let scored = try annotations(evaluated.output)
            // The evaluation reads categories and files in name order: sentences (ar, en), then single-words, as the files were given.
            try #require(daemon.count == 3 && scored.count == 3)
            // The evaluation runs the stages up to the language stage: each capability it has is the daemon's.
            for (measured, full) in zip(scored, daemon) {
                let language = try #require(measured["language"] as? NSDictionary)
                #expect(language == full["language"] as? NSDictionary)
                #expect(measured["content"] as? NSDictionary == full["content"] as? NSDictionary)
                for case let capability as String in measured.allKeys {
                    #expect(measured[capability] as? NSObject == full[capability] as? NSObject, "\(capability)")
                }
            }
            #expect(scored.map { ($0["language"] as? [String: Any])?["code"] as? String } == ["ar", "en", "und"])
            #expect(evaluated.output.contains("sentences: 100.00% mean accuracy over 2 languages"))
            #expect(evaluated.output.contains("single-words: 0.00% mean accuracy over 1 languages"))
            #expect(evaluated.output.contains("und: 1 of 1 lines"))
        }

        @Test("siftd eval and the daemon give identical annotations for the same document: entities")
        func entities() throws {
            let harness = try DaemonHarness()
            try harness.writeConfig(Self.configuration)
            let gold = harness.root.appendingPathComponent("gold.txt")
            try """
            أكد O
            الأمين O
            العام O
            لحلف B-ORG
            الناتو I-ORG
            ينس B-PERS
            ستولتنبرغ I-PERS
            دعم O
            الحلف O
            لحكومة O
            فائز B-PERS
            السراج I-PERS
            في O
            طرابلس B-LOC
            . O

            وقال O
            السراج O
            إن O
            ليبيا B-LOC
            تحتاج O
            إلى O
            الاستقرار O
            . O

            """.write(to: gold, atomically: true, encoding: .utf8)
            let evaluated = try run(["eval", "ner", "--data", gold.path, "--config", harness.configFile.path, "--results"])
            #expect(evaluated.status == 0)
            let line = try #require(evaluated.output.split(separator: "\n").first { $0.hasPrefix("{") })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let text = try #require(object["text"] as? String)
            let scored = try #require(object["annotations"] as? NSDictionary)

            // The document the evaluation built, as a file for the daemon.
            let file = harness.root.appendingPathComponent("document.txt")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let processed = try run(["process", "--config", harness.configFile.path, file.path])
            #expect(processed.status == 0)
            let daemon = try #require(try annotations(processed.output).first)
            let entities = try #require(scored["entities"] as? NSDictionary)
            #expect(entities == daemon["entities"] as? NSDictionary)
            #expect(((entities["mentions"] as? [Any]) ?? []).count >= 3)
            for case let capability as String in scored.allKeys {
                #expect(scored[capability] as? NSObject == daemon[capability] as? NSObject, "\(capability)")
            }
            // What is scored is those mentions: the report counts them.
            #expect(evaluated.output.contains("(5 gold, \((entities["mentions"] as? [Any])?.count ?? -1) predicted"))
        }
    }
}
