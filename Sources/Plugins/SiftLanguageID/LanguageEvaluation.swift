import Foundation

/// Measures a detector on a directory of test lines: `<category>/<code>.txt`, one sample per line.
public struct LanguageEvaluation: Sendable {
    /// The detector under test.
    public var detector: LanguageDetector

    /// Codes the model reports for codes of the test data (`bs`, `hr` and `sr` are `sh`).
    public static let equivalents = ["bs": "sh", "hr": "sh", "sr": "sh", "fil": "tl"]

    /// Creates an evaluation.
    public init(detector: LanguageDetector) {
        self.detector = detector
    }

    /// The results.
    public struct Report: Sendable {
        /// Per category: mean accuracy over supported languages, and accuracy per language.
        public var categories: [(name: String, mean: Double, perLanguage: [String: Double], linesPerSecond: Double)] = []
        /// `confusion[truth][guess]` counts among ar, fa and ur, per category.
        public var confusion: [String: [String: [String: Int]]] = [:]
        /// Lines classified per second, over all categories.
        public var linesPerSecond: Double = 0

        /// A readable report.
        public var rendered: String {
            var lines: [String] = []
            for category in categories {
                lines.append(
                    String(
                        format: "%@: %.2f%% mean accuracy over %d languages, %.0f lines per second", category.name, category.mean * 100,
                        category.perLanguage.count, category.linesPerSecond))
                let worst = category.perLanguage.sorted { $0.value < $1.value }.prefix(5)
                lines.append("  worst: " + worst.map { String(format: "%@ %.1f%%", $0.key, $0.value * 100) }.joined(separator: ", "))
                for code in ["ar", "fa", "ur"] {
                    if let accuracy = category.perLanguage[code] { lines.append(String(format: "  %@: %.1f%%", code, accuracy * 100)) }
                }
                if let matrix = confusion[category.name] {
                    lines.append("  ar/fa/ur confusion (rows: truth; columns: ar fa ur other)")
                    for truth in ["ar", "fa", "ur"] {
                        let row = matrix[truth] ?? [:]
                        let other = row.filter { !["ar", "fa", "ur"].contains($0.key) }.values.reduce(0, +)
                        lines.append("    \(truth): \(row["ar"] ?? 0) \(row["fa"] ?? 0) \(row["ur"] ?? 0) \(other)")
                    }
                }
            }
            lines.append(String(format: "%.0f lines per second", linesPerSecond))
            return lines.joined(separator: "\n")
        }
    }

    /// Runs over every category folder in `directory`.
    public func run(directory: URL) throws -> Report {
        var report = Report()
        let supported = Set(detector.model.languages)
        var totalLines = 0
        var totalTime: Duration = .zero
        let clock = ContinuousClock()
        for category in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            let folder = directory.appendingPathComponent(category)
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            var perLanguage: [String: (correct: Int, total: Int)] = [:]
            var confusion: [String: [String: Int]] = [:]
            var categoryLines = 0
            var categoryTime: Duration = .zero
            for file in files.sorted() where file.hasSuffix(".txt") {
                let code = String(file.dropLast(4))
                let expected = Self.equivalents[code] ?? code
                guard supported.contains(expected) else { continue }
                let samples = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                    .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
                let start = clock.now
                let guesses = samples.map { detector.detect($0).code }
                let elapsed = clock.now - start
                categoryTime += elapsed
                categoryLines += samples.count
                let correct = guesses.filter { $0 == expected }.count
                perLanguage[expected, default: (0, 0)].correct += correct
                perLanguage[expected, default: (0, 0)].total += samples.count
                if ["ar", "fa", "ur"].contains(expected) {
                    for guess in guesses { confusion[expected, default: [:]][guess, default: 0] += 1 }
                }
            }
            guard !perLanguage.isEmpty else { continue }
            let accuracies = perLanguage.mapValues { Double($0.correct) / Double(max($0.total, 1)) }
            report.categories.append(
                (
                    category, accuracies.values.reduce(0, +) / Double(accuracies.count), accuracies,
                    Double(categoryLines) / max(categoryTime.seconds, 1e-9)
                ))
            totalLines += categoryLines
            totalTime += categoryTime
            report.confusion[category] = confusion
        }
        report.linesPerSecond = Double(totalLines) / max(totalTime.seconds, 1e-9)
        return report
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
