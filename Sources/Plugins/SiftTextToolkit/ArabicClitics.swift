/// Splits Arabic proclitics off a word: the conjunctions و and ف, the prepositions ب, ك and ل,
/// and the article ال, in their usual order (`وبالحكومة` = و + ب + ال + حكومة; `للحكومة` =
/// ل + ال + حكومة, the article's alef elided after ل).
public struct ArabicClitics: Sendable {
    /// One way to read a word.
    public struct Segmentation: Sendable, Hashable {
        /// The proclitics, in order (`ال` stands for the article also where its alef was elided).
        public var prefixes: [String]
        /// The word without its proclitics.
        public var stem: String
        /// The stem's offset in the word, in Unicode scalars.
        public var stemOffset: Int

        /// Whether the word carries the article.
        public var isDefinite: Bool { prefixes.last == "ال" }
    }

    /// The shortest stem left after removing proclitics, in letters.
    public var minimumStemLength: Int

    /// Creates a segmenter.
    public init(minimumStemLength: Int = 2) {
        self.minimumStemLength = minimumStemLength
    }

    /// Every plausible segmentation, the most likely first; the unsegmented word is among them.
    ///
    /// Without a lexicon, readings with the article come first (`وال…`, `بال…`, `لل…` are
    /// reliable), then the word as it is, then bare proclitics, which are ambiguous (`وزير` is a
    /// word, not و + زير). `isKnownStem`, when given, promotes the readings whose stem it knows
    /// (a gazetteer or a lexicon): `لليبيا` reads as ل + ليبيا when ليبيا is known.
    public func segmentations(_ word: String, isKnownStem: ((String) -> Bool)? = nil) -> [Segmentation] {
        // Every reading starts with a proclitic letter (و ف ب ك ل) or the article's alef.
        guard let first = word.unicodeScalars.first, ["و", "ف", "ب", "ك", "ل", "ا"].contains(first) else {
            return [Segmentation(prefixes: [], stem: word, stemOffset: 0)]
        }
        let letters = Array(word.unicodeScalars)
        guard letters.count > minimumStemLength, letters.allSatisfy({ (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) })
        else {
            return [Segmentation(prefixes: [], stem: word, stemOffset: 0)]
        }
        var readings: [Segmentation] = []
        func add(_ prefixes: [String], _ offset: Int) {
            let stem = Array(letters[offset...])
            guard stem.filter({ !ArabicNormalizer.isArabicDiacritic($0.value) }).count >= minimumStemLength else { return }
            readings.append(Segmentation(prefixes: prefixes, stem: String(scalars: stem), stemOffset: offset))
        }
        var position = 0
        var prefixes: [String] = []
        if position < letters.count, letters[position] == "و" || letters[position] == "ف" {
            prefixes.append(String(letters[position]))
            position += 1
        }
        let afterConjunction = (prefixes, position)
        for (conjunctionPrefixes, start) in [afterConjunction, ([], 0)] where start <= position {
            var current = conjunctionPrefixes
            var index = start
            if index < letters.count, letters[index] == "ب" || letters[index] == "ك" || letters[index] == "ل" {
                let preposition = letters[index]
                // ل + ال with the alef elided: للحكومة.
                if preposition == "ل", index + 1 < letters.count, letters[index + 1] == "ل" {
                    add(current + ["ل", "ال"], index + 2)
                }
                current.append(String(preposition))
                index += 1
                if index + 1 < letters.count, letters[index] == "ا", letters[index + 1] == "ل" {
                    add(current + ["ال"], index + 2)
                }
                add(current, index)
            } else if index + 1 < letters.count, letters[index] == "ا", letters[index + 1] == "ل" {
                add(current + ["ال"], index + 2)
            }
            if !current.isEmpty, current == conjunctionPrefixes { add(current, index) }
        }
        let whole = Segmentation(prefixes: [], stem: word, stemOffset: 0)
        // Duplicates differ in nothing but order; compared by offset and prefixes (hashing
        // Arabic strings would go through Unicode normalisation).
        var unique: [Segmentation] = []
        for reading in readings where !unique.contains(where: { $0.stemOffset == reading.stemOffset && $0.prefixes == reading.prefixes }) {
            unique.append(reading)
        }
        readings = unique
        let ordered = readings.filter(\.isDefinite) + [whole] + readings.filter { !$0.isDefinite }
        guard let isKnownStem else { return ordered }
        let known = ordered.map { isKnownStem($0.stem) }
        return ordered.indices.filter { known[$0] }.map { ordered[$0] } + ordered.indices.filter { !known[$0] }.map { ordered[$0] }
    }

    /// The most likely segmentation.
    public func segment(_ word: String, isKnownStem: ((String) -> Bool)? = nil) -> Segmentation {
        let readings = segmentations(word)
        // The first reading whose stem is known, else the first (as ``segmentations(_:isKnownStem:)`` orders them).
        guard let isKnownStem, readings.count > 1 else { return readings[0] }
        return readings.first { isKnownStem($0.stem) } ?? readings[0]
    }
}
