import Foundation

/// Trains a ``LanguageModel`` from word-frequency lists: each word counts with its (flattened) frequency,
/// for itself and for each of its character n-grams; the most probable features of each
/// language are kept, the rest fall to a per-language floor.
public struct LanguageModelTrainer: Sendable {
    /// How much of each language to keep (how the defaults were chosen: docs/language-identification.md).
    public struct Settings: Sendable {
        /// Features kept per language, by kind: the whole word (0) and n-gram orders 1 to 4 (2 is unused).
        public var kept: [Int] = [30_000, 3_000, 5_000, 6_000, 8_000]
        /// Frequencies count raised to this power. Below 1 flattens the lists towards "which
        /// words does the language use" rather than "how often": test samples are mostly distinct
        /// words, and a frequent word two languages share should not settle a one-word text by
        /// frequency alone (1 is plain frequency).
        public var frequencyExponent: Double = 0.75
        /// How full the hash table is: half full keeps probe sequences to one or two slots, and
        /// a fuller table is slower; the file stores only the occupied slots.
        public var loadFactor: Double = 0.5
        public init() {}
    }

    /// The settings.
    public var settings: Settings
    /// How text is read; stored in the model.
    public let scalars = LanguageScalarTable.build()
    private var languages: [String] = []
    private var probabilities: [[[UInt32: Double]]] = []  // language → kind → feature → probability

    /// Creates a trainer.
    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Adds a language from `(word, frequency)` pairs.
    public mutating func add(language code: String, words: [(String, Double)]) {
        var counts = [[UInt32: Double]](repeating: [:], count: LanguageFeatures.kinds.count)
        for (word, frequency) in words where frequency > 0 {
            let weight = pow(frequency, settings.frequencyExponent)
            LanguageFeatures.forEachWord(in: word, table: scalars) { folded in
                LanguageFeatures.forEachFeature(of: folded) { hash, kind in
                    counts[kind][hash, default: 0] += weight
                }
                return true
            }
        }
        var kept: [[UInt32: Double]] = []
        for kind in LanguageFeatures.kinds {
            // Ties broken by key and sums taken in that order: the same data always gives the same model.
            let ranked = counts[kind].sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let total = ranked.reduce(0) { $0 + $1.value }
            let top = ranked.prefix(settings.kept[kind])
            kept.append(Dictionary(uniqueKeysWithValues: top.map { ($0.key, $0.value / max(total, .leastNormalMagnitude)) }))
        }
        languages.append(code)
        probabilities.append(kept)
    }

    /// Builds the model.
    public func build() -> LanguageModel {
        let kinds = LanguageFeatures.kinds.count
        let languageCount = languages.count
        var floorCosts = [Int32](repeating: 0, count: kinds * languageCount)
        var postingsByKey: [UInt32: [(language: UInt8, gain: UInt8)]] = [:]
        for (language, perKind) in probabilities.enumerated() {
            for kind in 0..<kinds {
                let smallest = perKind[kind].values.min() ?? 1e-9
                // Unlisted features are rarer than the rarest listed one.
                let floorCost = Int32(((-log(smallest) + 1) / Double(LanguageModel.step)).rounded())
                floorCosts[kind * languageCount + language] = floorCost
                for (key, probability) in perKind[kind] {
                    let cost = Int32((-log(probability) / Double(LanguageModel.step)).rounded())
                    let gain = UInt8(clamping: max(1, floorCost - cost))
                    postingsByKey[key, default: []].append((UInt8(language), gain))
                }
            }
        }
        let capacity = max(1, Int((Double(postingsByKey.count) / settings.loadFactor).rounded(.up)))
        var slots = [UInt64](repeating: 0, count: capacity)
        // Offset 0 holds an empty list, so that the postings are never empty (detection reads them unconditionally).
        var postings: [UInt8] = [0]
        for (key, entries) in postingsByKey.sorted(by: { $0.key < $1.key }) {
            let value: UInt32
            if let inline = LanguageModel.inlinePostings(entries, languageCount: languageCount) {
                value = inline
            } else {
                value = UInt32(postings.count)
                if 2 * entries.count >= languageCount {
                    // Letters most languages share: one gain per language is smaller and faster.
                    postings.append(LanguageModel.denseMarker)
                    var gains = [UInt8](repeating: 0, count: languageCount)
                    for entry in entries { gains[Int(entry.language)] = entry.gain }
                    postings.append(contentsOf: gains)
                } else {
                    postings.append(UInt8(entries.count))
                    for entry in entries.sorted(by: { $0.language < $1.language }) {
                        postings.append(entry.language)
                        postings.append(entry.gain)
                    }
                }
            }
            // Robin Hood insertion: a key travelling further from its home slot takes the place of
            // one nearer to its own, which keeps probe sequences short and ordered, so that a
            // look-up for an absent feature stops early (see ``LanguageModel/lookup(_:slots:)``).
            var carried = UInt64(key) | UInt64(value) << 32
            var slot = LanguageModel.slot(for: key, capacity: capacity)
            var distance = 0
            while slots[slot] != 0 {
                let resident = slots[slot]
                let residentDistance = LanguageModel.distance(of: UInt32(truncatingIfNeeded: resident), at: slot, capacity: capacity)
                if residentDistance < distance {
                    slots[slot] = carried
                    carried = resident
                    distance = residentDistance
                }
                slot += 1
                if slot == capacity { slot = 0 }
                distance += 1
            }
            slots[slot] = carried
        }
        return LanguageModel(languages: languages, floorCosts: floorCosts, scalars: scalars, slots: slots, postings: postings)
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
