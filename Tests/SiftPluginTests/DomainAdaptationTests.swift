import Testing

@testable import SiftEntityTagger

@Suite("Entity tagger: training on two corpora with feature augmentation")
struct DomainAdaptationTests {
    @Test("documents are runs of one corpus, at most the size given")
    func documentsPerCorpus() {
        #expect(EntityTrainer.documents(domains: [0, 0, 0, 1, 1, 0], size: 2) == [0..<2, 2..<3, 3..<5, 5..<6])
        #expect(EntityTrainer.documents(domains: [], size: 20).isEmpty)
        #expect(EntityTrainer.documents(domains: [1, 1, 1], size: 0) == [0..<1, 1..<2, 2..<3])
    }

    @Test("a pass read as corpus 0: each shared feature's weights plus its corpus-0 copy's, other copies left out, small sums pruned")
    func projection() {
        let tagCount = EntityModel.tagCount
        func row(_ value: Float) -> [Float] { (0..<tagCount).map { value + Float($0) / 100 } }
        let (f, g, h, pruned): (UInt64, UInt64, UInt64, UInt64) = (11, 12, 13, 14)
        let rows: [(UInt64, [Float])] = [
            (f, row(1)), (EntityTrainer.domainFeature(f, domain: 0), row(0.5)), (EntityTrainer.domainFeature(f, domain: 1), row(-3)),
            (g, row(2)),
            // h's shared weights are absent: its copy's count alone.
            (EntityTrainer.domainFeature(h, domain: 0), row(0.25)),
            (pruned, [Float](repeating: 0.01, count: tagCount)),
            (EntityTrainer.domainFeature(pruned, domain: 0), [Float](repeating: -0.02, count: tagCount)),
        ]
        let stage = EntityStage(features: rows.map(\.0), weights: rows.flatMap(\.1), transitions: [1, 2, 3])
        let projected = EntityTrainer.projected(stage, onto: 0, shared: [f, g, h, pruned, 99], pruneBelow: 0.05)
        #expect(projected.features == [f, g, h])
        #expect(projected.weights == zip(row(1), row(0.5)).map { $0 + $1 } + row(2) + row(0.25))
        #expect(projected.transitions == [1, 2, 3])
    }

    /// Sentences where a people's name is tagged in one corpus and left untagged in the other,
    /// as WikiFANE's Group and ANERcorp differ.
    static func corpus(_ tag: String, count: Int) -> [LabeledSentence] {
        let subjects = ["زار", "غادر", "هاجم", "عاد", "دخل", "حكم"]
        return (0..<count).map { index in
            LabeledSentence(
                tokens: [subjects[index % subjects.count], "المغول", "مدينة", "بغداد"],
                tags: [0, EntityTagSet.index(of: tag)!, 0, EntityTagSet.index(of: "B-LOC")!])
        }
    }

    @Test("where the corpora annotate differently, the model tags as corpus 0 does; where they agree, as both do")
    func adaptsToCorpusZero() async {
        var settings = EntityTrainer.Settings()
        settings.algorithm = .crf
        settings.l2 = 0.1
        settings.folds = 2
        settings.documentSentences = 3
        let trainer = EntityTrainer(features: EntityFeatures(lexicon: EntityLexicon()), settings: settings)
        let news = Self.corpus("O", count: 12)
        // Twice as many sentences from the other corpus, which tags the people.
        let wikipedia = Self.corpus("B-MISC", count: 24)
        let pooled = await trainer.train(news + wikipedia)
        let adapted = await trainer.train(news + wikipedia, domains: Array(repeating: 0, count: 12) + Array(repeating: 1, count: 24))
        let sentence = ["زار", "المغول", "مدينة", "بغداد"]
        #expect(pooled.tag(sentence)[1] == EntityTagSet.index(of: "B-MISC"))
        #expect(adapted.tag(sentence)[1] == EntityTagSet.outside)
        #expect(adapted.tag(sentence)[3] == EntityTagSet.index(of: "B-LOC"))
        // Read as the other corpus, the same augmented model would tag the people.
        let asWikipedia = await trainer.train(wikipedia + news, domains: Array(repeating: 0, count: 24) + Array(repeating: 1, count: 12))
        #expect(asWikipedia.tag(sentence)[1] == EntityTagSet.index(of: "B-MISC"))
    }
}
