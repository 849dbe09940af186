import Foundation

/// Trains a ``LanguageModel`` from word-frequency lists: each word counts with its frequency,
/// for itself and for each of its character n-grams; the most probable features of each
/// language are kept, the rest fall to a per-language floor.
public struct LanguageModelTrainer: Sendable {
    /// How much of each language to keep.
    public struct Settings: Sendable {
        /// Features kept per language, by kind: the whole word (0) and n-gram orders 1 to 4.
        public var kept: [Int] = [30_000, 3_000, 5_000, 6_000, 8_000]
        public init() {}
    }

    /// The settings.
    public var settings: Settings
    private var languages: [String] = []
    private var probabilities: [[[UInt32: Double]]] = []  // language → kind → feature → probability

    /// Creates a trainer.
    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Adds a language from `(word, frequency)` pairs.
    public mutating func add(language code: String, words: [(String, Double)]) {
        var counts = [[UInt32: Double]](repeating: [:], count: LanguageFeatures.kinds.count)
        for (word, frequency) in words {
            let scalars = LanguageFeatures.normalizedWord(word)
            guard !scalars.isEmpty, frequency > 0 else { continue }
            LanguageFeatures.forEachFeature(of: scalars) { hash, kind in
                counts[kind][hash, default: 0] += frequency
            }
        }
        var kept: [[UInt32: Double]] = []
        for kind in LanguageFeatures.kinds {
            let total = counts[kind].values.reduce(0, +)
            let top = counts[kind].sorted { $0.value > $1.value }.prefix(settings.kept[kind])
            kept.append(Dictionary(uniqueKeysWithValues: top.map { ($0.key, $0.value / max(total, .leastNormalMagnitude)) }))
        }
        languages.append(code)
        probabilities.append(kept)
    }

    /// Builds the model.
    public func build() -> LanguageModel {
        let kinds = LanguageFeatures.kinds.count
        var floors = [Float](repeating: 0, count: kinds * languages.count)
        var postingsByKey: [UInt32: [(UInt8, UInt8)]] = [:]
        for (language, perKind) in probabilities.enumerated() {
            for kind in 0..<kinds {
                let smallest = perKind[kind].values.min() ?? 1e-9
                // Unlisted features are rarer than the rarest listed one.
                floors[kind * languages.count + language] = Float(log(smallest)) - 1
                for (key, probability) in perKind[kind] {
                    let quantised = UInt8(clamping: Int((-Float(log(probability)) / LanguageModel.step).rounded()))
                    postingsByKey[key, default: []].append((UInt8(language), quantised))
                }
            }
        }
        let capacity = max(1, Int((Double(postingsByKey.count) / 0.8).rounded(.up)))
        var keys = [UInt32](repeating: 0, count: capacity)
        var offsets = [UInt32](repeating: 0, count: capacity)
        var postings: [UInt8] = []
        for (key, entries) in postingsByKey.sorted(by: { $0.key < $1.key }) {
            var slot = LanguageModel.slot(for: key, capacity: capacity)
            while keys[slot] != 0 {
                slot += 1
                if slot == capacity { slot = 0 }
            }
            keys[slot] = key
            offsets[slot] = UInt32(postings.count)
            postings.append(UInt8(entries.count))
            for (language, quantised) in entries.sorted(by: { $0.0 < $1.0 }) {
                postings.append(language)
                postings.append(quantised)
            }
        }
        return LanguageModel(languages: languages, floors: floors, keys: keys, offsets: offsets, postings: postings)
    }

    /// Reads `<code>.tsv` word lists (`word<TAB>frequency<TAB>…`) from a directory, as wordfreq exports them.
    /// `fil` is reported as `tl` (Tagalog's ISO 639-1 code); `sh` stays `sh` (Bosnian, Croatian, Serbian).
    public static func readWordLists(directory: URL) throws -> [(code: String, words: [(String, Double)])] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".tsv") && $0 != "summary.tsv" }.sorted()
        return try files.flatMap { file -> [(code: String, words: [(String, Double)])] in
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            var words: [(String, Double)] = []
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count >= 2, let frequency = Double(fields[1]) else { continue }
                words.append((String(fields[0]), frequency))
            }
            let code = String(file.dropLast(4))
            if code == "sh" {
                // Serbian is written in both alphabets and the list has the Latin one: the Cyrillic
                // spelling is a class of its own that also reports sh.
                return [(code, words), (code, words.map { (SerbianCyrillic.transliterate($0.0), $0.1) })]
            }
            return [(code == "fil" ? "tl" : code, words)]
        }
    }
}

/// Serbian Latin to Serbian Cyrillic, letter by letter (the two alphabets map one to one).
enum SerbianCyrillic {
    private static let digraphs: [(String, String)] = [("lj", "љ"), ("nj", "њ"), ("dž", "џ"), ("dz", "џ")]
    private static let letters: [Character: String] = [
        "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф", "g": "г", "h": "х",
        "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "š": "ш",
        "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
    ]

    static func transliterate(_ word: String) -> String {
        var result = ""
        var rest = Substring(word.lowercased())
        outer: while let first = rest.first {
            for (latin, cyrillic) in digraphs where rest.hasPrefix(latin) {
                result += cyrillic
                rest = rest.dropFirst(latin.count)
                continue outer
            }
            result += letters[first] ?? String(first)
            rest = rest.dropFirst()
        }
        return result
    }
}
