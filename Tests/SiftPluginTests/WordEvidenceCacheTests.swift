import Testing

@testable import SiftLanguageID

/// The detector reads a word's evidence from its cache when it has read the word before: the
/// evidence must be what the model says feature by feature, however small the cache.
@Suite("Word evidence cache")
struct WordEvidenceCacheTests {
    static let model = try! BundledLanguageModel.load()

    static let texts = [
        "بحث رئيس المجلس الرئاسي فائز السراج مع الأمين العام لحلف الناتو ينس ستولتنبرغ في اتصال هاتفي آخر التطورات، وبحث الرئيس",
        "The Secretary General said there can be no military solution to the crisis, the Secretary General said again.",
        "日本語のテキストです。中文文本和日本語 テキスト",
        "رئیس جمهوری اسلامی ایران گفت که این کار — پاکستان کی حکومت نے کہا ہے",
        String(repeating: "supercalifragilistic", count: 7) + " snake_case_words under_score 12345 ok",
        "Ελληνικά κείμενα και русский текст, und noch ein deutscher Satz über Straßen",
        "",
    ]

    /// The evidence of the first `limit` words of `text`, feature by feature from the model's
    /// table: scores, covered letters and triples, feature counts, counts checked for coverage.
    static func reference(_ text: String, limit: Int?, wordWeight: Int32 = 8) -> LanguageDetector.Evidence {
        let languageCount = model.languages.count
        var scores = [Int32](repeating: 0, count: languageCount)
        var covered = [Int32](repeating: 0, count: 2 * languageCount)
        var featureCounts = [Int32](repeating: 0, count: LanguageFeatures.kinds.count)
        var checked = featureCounts
        let words = LanguageFeatures.words(of: text, table: model.scalars).prefix(limit ?? .max)
        for word in words {
            let exempt = word.contains { $0 >= 0x2E80 }
            word.withUnsafeBufferPointer { letters in
                LanguageFeatures.forEachFeature(of: letters) { hash, kind in
                    featureCounts[kind] += 1
                    let counted = (kind == 1 || kind == 3) && !exempt
                    if counted { checked[kind] += 1 }
                    let weight: Int32 = kind == 0 ? wordWeight : 1
                    for (language, gain) in postings(of: hash) {
                        scores[language] += weight * gain
                        if counted { covered[(kind == 1 ? 0 : languageCount) + language] += 1 }
                    }
                }
            }
        }
        var evidence = LanguageDetector(model: model).noEvidence
        evidence.add(
            .init(scores: scores, covered: covered, featureCounts: featureCounts, checkedFeatures: checked, words: words.count))
        return evidence
    }

    /// The languages a feature is listed for, with their gains.
    static func postings(of hash: UInt32) -> [(Int, Int32)] {
        let value = model.slots.withUnsafeBufferPointer { LanguageModel.lookup(hash, slots: $0) }
        guard let value else { return [] }
        if value & LanguageModel.inlineFlag != 0 {
            var entries = [(Int(value & 63), Int32(value >> 6 & 0xFF))]
            if value & LanguageModel.inlineSecond != 0 { entries.append((Int(value >> 14 & 63), Int32(value >> 20 & 0xFF))) }
            return entries
        }
        let offset = Int(value)
        let header = model.postings[offset]
        if header == LanguageModel.denseMarker {
            return (0..<model.languages.count).compactMap { language in
                let gain = model.postings[offset + 1 + language]
                return gain == 0 ? nil : (language, Int32(gain))
            }
        }
        return (0..<Int(header)).map { (Int(model.postings[offset + 1 + 2 * $0]), Int32(model.postings[offset + 2 + 2 * $0])) }
    }

    @Test("evidence is the model's, read again and again, whatever the cache holds", arguments: [0, 1, 3, 16_384])
    func sameAsTheModel(capacity: Int) {
        let detector = LanguageDetector(model: Self.model, wordCacheCapacity: capacity)
        for _ in 0..<3 {
            for text in Self.texts {
                let evidence = detector.evidence(of: text, upTo: [nil, 1, 5, 0])
                #expect(evidence[0] == Self.reference(text, limit: nil))
                #expect(evidence[1] == Self.reference(text, limit: 1))
                #expect(evidence[2] == Self.reference(text, limit: 5))
                #expect(evidence[3] == detector.noEvidence)
            }
        }
    }

    @Test("a text longer than a block of words, its words repeated within the block")
    func longText() {
        let text = (0..<600).map { "word\($0 % 37) كلمة\($0 % 11)" }.joined(separator: " ")
        let detector = LanguageDetector(model: Self.model)
        for limit in [nil, 127, 128, 129, 1000] {
            #expect(detector.evidence(of: text, upTo: [limit])[0] == Self.reference(text, limit: limit))
        }
        #expect(detector.wordCache.capacity == 16_384)
    }

    @Test("the word's weight applies to cached words as to new ones")
    func wordWeight() {
        var detector = LanguageDetector(model: Self.model)
        let text = Self.texts[1]
        _ = detector.evidence(of: text, upTo: [nil])
        detector.wordWeight = 3
        #expect(detector.evidence(of: text, upTo: [nil])[0] == Self.reference(text, limit: nil, wordWeight: 3))
    }

    @Test("words whose keys collide are told apart by their letters")
    func collisions() {
        let cache = WordEvidenceCache(capacity: 8, languageCount: 3)
        let words: [[UInt32]] = [[0x628, 0x62D, 0x62B], [0x628, 0x62D, 0x62A], [0x628, 0x62D], [0x628, 0x62D, 0x62B, 0x62B]]
        let shares = (0..<words.count).map {
            WordEvidenceCache.Share(language: $0 % 3, wordGain: Int32($0), letters: 1, trigrams: 2, ngramGain: 100 + Int32($0))
        }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: WordBlock.byteCount, alignment: 16)
        defer { memory.deallocate() }
        // Only the first is stored: every key is the same, so the others stay missing.
        for (index, word) in words.enumerated() {
            var block = WordBlock(memory: memory)
            word.withUnsafeBufferPointer { block.append($0, key: 42) }
            var found: [UInt64] = []
            cache.lookUp(&block) { found.append(contentsOf: $0) }
            #expect(found.isEmpty)
            #expect(block.missingCount == 1)
            var ends: [Int32] = [1]
            withUnsafePointer(to: shares[index].bits) { share in
                cache.store(block, ranks: 0..<1, shares: share, shareEnds: &ends)
            }
        }
        for (index, word) in words.enumerated() {
            var block = WordBlock(memory: memory)
            word.withUnsafeBufferPointer { block.append($0, key: 42) }
            var found: [UInt64] = []
            cache.lookUp(&block) { found.append(contentsOf: $0) }
            #expect(found == (index == 0 ? [shares[0].bits] : []))
        }
    }
}
