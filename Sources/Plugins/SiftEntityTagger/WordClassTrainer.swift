import Foundation
import SiftTextToolkit

/// Learns word classes from unlabelled running text: words that occur between the same
/// neighbours fall in the same class (names of cities together, of ministries, of months …),
/// which lets the tagger generalise from a name it saw to one it did not.
///
/// Each word (folded, proclitics stripped, as the tagger sees it) is described by the words up
/// to two places left and right of it, weighted by positive pointwise mutual information;
/// spherical k-means then groups the vectors, once finely and once coarsely.
public struct WordClassTrainer: Sendable {
    /// Settings.
    public struct Settings: Sendable {
        /// Classes of the fine and the coarse clustering (at most 1024 and 64).
        public var fineClasses = 400
        public var coarseClasses = 48
        /// Words seen fewer times get no class.
        public var minimumCount = 3
        /// The most frequent words that serve as context.
        public var contextWords = 2000
        /// k-means passes.
        public var iterations = 12
        public init() {}
    }

    /// The settings.
    public var settings: Settings
    private var counts: [String: Int] = [:]
    private var sentences: [[String]] = []

    /// Creates a trainer.
    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// The words of a text as the tagger sees them: folded, proclitics stripped.
    public static func words(of text: String) -> [String] {
        let clitics = ArabicClitics()
        return Tokenizer().tokenize(text).compactMap { token in
            guard token.kind == .word else { return nil }
            let segmentation = clitics.segment(token.text)
            return EntityLexicon.fold(segmentation.stemOffset == 0 ? token.text : segmentation.stem)
        }
    }

    /// Adds a text (several sentences or paragraphs; lines are kept apart).
    public mutating func add(text: String) {
        for line in text.split(separator: "\n") {
            let words = Self.words(of: String(line))
            guard !words.isEmpty else { continue }
            for word in words { counts[word, default: 0] += 1 }
            sentences.append(words)
        }
    }

    /// Clusters the words; each word with enough occurrences gets `fine | coarse << 10`.
    public func build() -> [String: UInt16] {
        let vocabulary = counts.filter { $0.value >= settings.minimumCount }.keys.sorted {
            counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1
        }
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let contextCount = min(settings.contextWords, vocabulary.count)
        // Contexts: the word two and one before, one and two after, each among the most frequent words.
        let offsets = [-2, -1, 1, 2]
        let dimensions = offsets.count * contextCount
        var cooccurrences = [[Int: Float]](repeating: [:], count: vocabulary.count)
        for sentence in sentences {
            let ids = sentence.map { index[$0] }
            for position in sentence.indices {
                guard let word = ids[position] else { continue }
                for (slot, offset) in offsets.enumerated() {
                    let neighbour = position + offset
                    guard neighbour >= 0, neighbour < ids.count, let context = ids[neighbour], context < contextCount else { continue }
                    cooccurrences[word][slot * contextCount + context, default: 0] += 1
                }
            }
        }
        // Positive pointwise mutual information: how much more often than by chance a context occurs.
        var contextTotals = [Float](repeating: 0, count: dimensions)
        var total: Float = 0
        // Sums in a fixed order: the same text always gives the same classes.
        let sortedRows = cooccurrences.map { $0.sorted { $0.key < $1.key } }
        for row in sortedRows {
            for (context, count) in row {
                contextTotals[context] += count
                total += count
            }
        }
        let rows: [[(Int, Float)]] = sortedRows.map { row in
            let wordTotal = row.reduce(0) { $0 + $1.value }
            let entries = row.compactMap { context, count -> (Int, Float)? in
                let pmi = log(count * total / (wordTotal * contextTotals[context]))
                return pmi > 0 ? (context, pmi) : nil
            }
            let norm = entries.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            return norm > 0 ? entries.map { ($0.0, $0.1 / norm) } : []
        }
        // A count of classes below one is taken as one (the commands refuse it before).
        let fine = kMeans(rows, dimensions: dimensions, clusters: min(max(settings.fineClasses, 1), 1024, vocabulary.count))
        let coarse = kMeans(rows, dimensions: dimensions, clusters: min(max(settings.coarseClasses, 1), 64, vocabulary.count))
        var classes: [String: UInt16] = [:]
        for (position, word) in vocabulary.enumerated() where !rows[position].isEmpty {
            classes[word] = UInt16(fine[position]) | UInt16(coarse[position]) << 10
        }
        return classes
    }

    /// Spherical k-means over sparse unit vectors, seeded with the most frequent words (deterministic).
    private func kMeans(_ rows: [[(Int, Float)]], dimensions: Int, clusters: Int) -> [Int] {
        var centroids = [Float](repeating: 0, count: clusters * dimensions)
        var seeded = 0
        for row in rows where seeded < clusters && !row.isEmpty {
            for (dimension, value) in row { centroids[seeded * dimensions + dimension] = value }
            seeded += 1
        }
        var assignment = [Int](repeating: 0, count: rows.count)
        for _ in 0..<settings.iterations {
            centroids.withUnsafeBufferPointer { centroids in
                for (word, row) in rows.enumerated() where !row.isEmpty {
                    var best = 0
                    var bestScore = -Float.infinity
                    for cluster in 0..<clusters {
                        let centre = cluster * dimensions
                        var score: Float = 0
                        for (dimension, value) in row { score += value * centroids[centre + dimension] }
                        if score > bestScore {
                            bestScore = score
                            best = cluster
                        }
                    }
                    assignment[word] = best
                }
            }
            var sums = [Float](repeating: 0, count: clusters * dimensions)
            for (word, row) in rows.enumerated() where !row.isEmpty {
                for (dimension, value) in row { sums[assignment[word] * dimensions + dimension] += value }
            }
            for cluster in 0..<clusters {
                let range = (cluster * dimensions)..<((cluster + 1) * dimensions)
                let norm = sums[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0 else { continue }  // an empty cluster keeps its centre
                for index in range { centroids[index] = sums[index] / norm }
            }
        }
        return assignment
    }
}
