import SiftTextToolkit

/// The features of the tagger, shared by training and tagging: for each token, hashed
/// indicator features of the token itself (folded word, proclitic-stripped stem, its
/// proclitics, prefixes and suffixes, shape), of its neighbours (words and stems two either
/// side), of the gazetteers (single words, multi-word names, and their neighbours), of trigger
/// words (titles before names …), and of word classes learned from running text.
public struct EntityFeatures: Sendable {
    /// Gazetteers and triggers.
    public let lexicon: EntityLexicon
    /// Word classes (a class number per folded word), learned without labels.
    public let wordClasses: [String: UInt16]

    private static let clitics = ArabicClitics()

    /// Creates the feature extractor.
    public init(lexicon: EntityLexicon, wordClasses: [String: UInt16] = [:]) {
        self.lexicon = lexicon
        self.wordClasses = wordClasses
    }

    /// What the features need to know about one token.
    struct TokenView {
        var folded: String
        var stem: String
        var proclitics: String
        var shape: String
    }

    /// The analysis of every token of a sentence.
    func views(of tokens: [String]) -> [TokenView] {
        tokens.map { token in
            let folded = EntityLexicon.fold(token)
            let segmentation = Self.clitics.segment(token) { lexicon.knows(EntityLexicon.fold($0)) }
            let stem = segmentation.stemOffset == 0 ? folded : EntityLexicon.fold(segmentation.stem)
            return TokenView(folded: folded, stem: stem, proclitics: segmentation.prefixes.joined(separator: "+"), shape: Self.shape(token))
        }
    }

    /// A coarse shape: the kinds of characters, with runs collapsed (`Xx`, `d`, `a` for Arabic letters, `p` …).
    static func shape(_ token: String) -> String {
        var shape = ""
        var last: Character?
        for scalar in token.unicodeScalars {
            let kind: Character
            let properties = scalar.properties
            if (0x0600...0x06FF).contains(scalar.value) {
                kind = properties.isAlphabetic ? "a" : "p"
            } else if properties.isUppercase {
                kind = "X"
            } else if properties.isLowercase {
                kind = "x"
            } else if properties.numericType != nil {
                kind = "d"
            } else {
                kind = "p"
            }
            if kind != last { shape.append(kind) }
            last = kind
            if shape.count >= 4 { break }
        }
        return shape
    }

    /// The hashed features of every token of a sentence; `known` maps folded words to what the
    /// first pass found them to be elsewhere in the document (`B-PERS`, `I-ORG` …): the second
    /// pass's document-level consistency features.
    public func features(of tokens: [String], known: [String: String] = [:]) -> [[UInt64]] {
        let views = views(of: tokens)
        let count = views.count
        var gazetteerTags = [String?](repeating: nil, count: count)
        for match in lexicon.matches(words: views.map(\.folded), stems: views.map(\.stem)) {
            for index in match.range where gazetteerTags[index] == nil {
                gazetteerTags[index] = (index == match.range.lowerBound ? "B-" : "I-") + match.type
            }
        }
        func word(_ index: Int) -> String { index < 0 ? "<s>" : index >= count ? "</s>" : views[index].folded }
        func stem(_ index: Int) -> String { index < 0 ? "<s>" : index >= count ? "</s>" : views[index].stem }
        func classValue(_ index: Int) -> UInt16? {
            guard index >= 0, index < count else { return nil }
            return wordClasses[views[index].stem] ?? wordClasses[views[index].folded]
        }
        func wordClass(_ index: Int) -> String {
            guard index >= 0, index < count else { return "edge" }
            return classValue(index).map { String($0 & 0x3FF) } ?? "none"
        }
        func coarseClass(_ index: Int) -> String {
            guard index >= 0, index < count else { return "edge" }
            return classValue(index).map { String($0 >> 10) } ?? "none"
        }

        return (0..<count).map { index in
            var features: [UInt64] = []
            features.reserveCapacity(48)
            func add(_ template: UInt8, _ value: String) { features.append(Self.hash(template, value)) }
            let view = views[index]
            let stemScalars = Array(view.stem.unicodeScalars)
            add(0, "")
            add(1, view.folded)
            add(2, view.stem)
            add(3, view.proclitics)
            add(4, view.shape)
            for length in 1...3 where stemScalars.count > length {
                add(5 + UInt8(length), String(String.UnicodeScalarView(stemScalars.prefix(length))))
                add(8 + UInt8(length), String(String.UnicodeScalarView(stemScalars.suffix(length))))
            }
            add(12, String(min(stemScalars.count, 9)))
            // Letter triples inside the stem: transliterated foreign names have telling ones (سكي، وف، يه).
            if stemScalars.count >= 4, view.shape == "a" {
                for start in 0...(stemScalars.count - 3) {
                    add(39, String(String.UnicodeScalarView(stemScalars[start..<(start + 3)])))
                }
            }
            let foldedScalars = Array(view.folded.unicodeScalars)
            if view.proclitics != "" {
                for length in 1...2 where foldedScalars.count > length {
                    add(40 + UInt8(length), String(String.UnicodeScalarView(foldedScalars.prefix(length))))
                }
            }
            add(13, word(index - 1))
            add(14, word(index + 1))
            add(15, word(index - 2))
            add(16, word(index + 2))
            add(17, stem(index - 1))
            add(18, stem(index + 1))
            add(19, word(index - 1) + "|" + view.stem)
            add(20, view.stem + "|" + word(index + 1))
            add(21, views.indices.contains(index - 1) ? views[index - 1].shape + "|" + view.shape : "<s>|" + view.shape)
            for type in lexicon.types(of: view.stem) + lexicon.types(of: view.folded) { add(22, type) }
            if let tag = gazetteerTags[index] { add(23, tag) }
            if index > 0, let tag = gazetteerTags[index - 1] { add(24, tag) }
            if index + 1 < count, let tag = gazetteerTags[index + 1] { add(25, tag) }
            for (type, words) in EntityLexicon.triggersBefore {
                if index > 0, words.contains(views[index - 1].folded) || words.contains(views[index - 1].stem) { add(26, type) }
                if index > 1, words.contains(views[index - 2].folded) || words.contains(views[index - 2].stem) { add(27, type) }
                if words.contains(view.stem) { add(28, type) }
            }
            for (type, words) in EntityLexicon.triggersAfter {
                if index + 1 < count, words.contains(views[index + 1].folded) { add(29, type) }
            }
            add(30, wordClass(index))
            add(31, wordClass(index - 1))
            add(32, wordClass(index + 1))
            add(33, wordClass(index - 1) + "|" + wordClass(index))
            add(43, wordClass(index - 2))
            add(44, wordClass(index + 2))
            add(45, wordClass(index) + "|" + wordClass(index + 1))
            add(46, stem(index - 1) + "|" + wordClass(index))
            add(47, wordClass(index) + "|" + stem(index + 1))
            add(48, coarseClass(index))
            add(49, coarseClass(index - 1) + "|" + coarseClass(index) + "|" + coarseClass(index + 1))
            if !known.isEmpty {
                if let tag = known[view.stem] ?? known[view.folded] {
                    add(34, tag)
                    add(36, String(tag.dropFirst(2)))
                } else {
                    add(34, "none")
                }
                if index > 0, let tag = known[views[index - 1].stem] ?? known[views[index - 1].folded] { add(37, tag) }
                if index + 1 < count, let tag = known[views[index + 1].stem] ?? known[views[index + 1].folded] { add(38, tag) }
            }
            if index == 0 { add(35, "first") }
            return features
        }
    }

    /// FNV-1a over a template number and a value.
    @inline(__always)
    static func hash(_ template: UInt8, _ value: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        hash = (hash ^ UInt64(template)) &* 0x0000_0100_0000_01B3
        for byte in value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
