import Foundation
import SiftTextToolkit
import Testing

@testable import SiftEntityTagger

@Suite("Entity tagger")
struct EntityTaggerTests {
    static func tags(_ labels: [String]) -> [Int] { labels.map { EntityTagSet.index(of: $0)! } }

    @Test("reads every finite half-precision weight as Float(Float16) does, to the bit")
    func halfPrecision() {
        var mismatches: [UInt16] = []
        var finite = 0
        for bits in UInt16.min...UInt16.max where Float16(bitPattern: bits).isFinite {
            finite += 1
            let expected = Float(Float16(bitPattern: bits))
            if FeatureWeights.float(fromFiniteHalf: bits).bitPattern != expected.bitPattern { mismatches.append(bits) }
        }
        #expect(finite == 63_488)
        #expect(mismatches.count == 0, "first: \(mismatches.prefix(10).map { String($0, radix: 16) })")
    }

    @Test("features with one fingerprint and home slot are told apart; a batch of look-ups adds what one at a time does")
    func featureWeights() throws {
        let tagCount = EntityTagSet.count
        // Three features that share their high 32 bits and their slot in a small table; the third is not in the model.
        let features: [UInt64] = [0x1234_5678_0000_0001, 0x1234_5678_0000_0011, 0x0000_0000_0000_0002]
        let absent: UInt64 = 0x1234_5678_0000_0021
        func halves(_ base: Float) -> [UInt16] { (0..<tagCount).map { Float16(base + Float($0) / 8).bitPattern } }
        let weights = try FeatureWeights(passes: [
            .init(features: features, halves: halves(1) + halves(2) + halves(3)),
            .init(features: [features[1]], halves: halves(-4)),
        ])
        #expect(weights.rowCount == 3 && weights.row(of: absent) == nil)
        let rows = try features.map { try #require(weights.row(of: $0)) }
        #expect(rows.map { weights.feature(ofRow: $0) } == features)
        #expect(rows.map { weights.passes[$0] } == [1, 3, 1])
        var one = [Float](repeating: 0, count: weights.width)
        one.withUnsafeMutableBufferPointer { weights.add(features[1], to: $0.baseAddress!) }
        let expected: [Float] = (0..<tagCount).map { 2 + Float($0) / 8 } + (0..<tagCount).map { -4 + Float($0) / 8 }
        #expect(one == expected)

        let batch = [absent, features[2], features[0], absent, features[1], features[2]]
        let positions: [Int32] = [0, 1, 0, 2, 2, 1]
        var batched = [Float](repeating: 0, count: 3 * weights.width)
        var single = batched
        batched.withUnsafeMutableBufferPointer { scores in
            batch.withUnsafeBufferPointer { batch in positions.withUnsafeBufferPointer { weights.add(batch, positions: $0, to: scores.baseAddress!) }
            }
        }
        single.withUnsafeMutableBufferPointer { scores in
            for (feature, position) in zip(batch, positions) { weights.add(feature, to: scores.baseAddress! + Int(position) * weights.width) }
        }
        #expect(batched == single && batched.contains { $0 != 0 })

        // A weight that is infinite or not a number makes a malformed model.
        #expect(throws: EntityModelError.self) {
            try FeatureWeights(passes: [.init(features: [7], halves: [Float16.infinity.bitPattern] + halves(0).dropFirst())])
        }
    }

    @Test("word classes: every word seen often enough gets one, and a count of classes below one is one (it trapped)", arguments: [-2, 0, 3])
    func wordClasses(classes: Int) {
        var settings = WordClassTrainer.Settings()
        settings.fineClasses = classes
        settings.coarseClasses = classes
        settings.minimumCount = 2
        var trainer = WordClassTrainer(settings: settings)
        for _ in 0..<3 { trainer.add(text: "زار الوزير طرابلس أمس\nزار الرئيس بنغازي أمس\nقال الوزير إن الوفد وصل") }
        let built = trainer.build()
        #expect(Set(built.keys).isSuperset(of: ["زار", "وزير", "امس", "طرابلس"]))
        let expected = max(classes, 1)
        #expect(built.values.allSatisfy { Int($0 & 0x3FF) < expected && Int($0 >> 10) < expected })
    }

    @Test("Viterbi finds the best sequence (checked against every sequence) and keeps BIO order")
    func viterbi() {
        // Two free tags, three tokens: compare with brute force.
        let emissions: [Float] = [1, 0, 0.2, 0.9, 1.5, -1]
        let transitions: [Float] = [0, -2, -1, 0.5, 0.3, 0]  // rows: from 0, from 1, start
        let decoded = ViterbiDecoder.decode(emissions: emissions, transitions: transitions, tagCount: 2, allows: { _, _ in true })
        func score(_ path: [Int]) -> Float {
            var total = transitions[4 + path[0]] + emissions[path[0]]
            for position in 1..<path.count {
                total += transitions[path[position - 1] * 2 + path[position]] + emissions[position * 2 + path[position]]
            }
            return total
        }
        let all = (0..<8).map { [($0 >> 2) & 1, ($0 >> 1) & 1, $0 & 1] }
        let best = all.max { score($0) < score($1) }!
        #expect(decoded == best)
        let marginals = ViterbiDecoder.maxMarginals(emissions: emissions, transitions: transitions, tagCount: 2, allows: { _, _ in true })
        for position in 0..<3 {
            #expect(abs(max(marginals[position * 2], marginals[position * 2 + 1]) - score(best)) < 1e-4)
        }

        // An inside tag never opens a sentence or follows another type, however strong.
        var bio = [Float](repeating: 0, count: 2 * EntityTagSet.count)
        bio[EntityTagSet.index(of: "I-PERS")!] = 10
        bio[EntityTagSet.count + EntityTagSet.index(of: "I-LOC")!] = 10
        let transitionsBIO = [Float](repeating: 0, count: (EntityTagSet.count + 1) * EntityTagSet.count)
        let constrained = ViterbiDecoder.decode(emissions: bio, transitions: transitionsBIO, tagCount: EntityTagSet.count)
        #expect(constrained.first.map { EntityTagSet.tags[$0] }?.hasPrefix("I-") == false)
        #expect(EntityTagSet.allows(EntityTagSet.index(of: "B-PERS"), EntityTagSet.index(of: "I-PERS")!))
        #expect(!EntityTagSet.allows(EntityTagSet.index(of: "B-PERS"), EntityTagSet.index(of: "I-LOC")!))
    }

    @Test(
        "Viterbi with the tagger's nine tags (its unrolled loops) finds the best allowed sequence and its max-marginals, as brute force does, with one workspace for sentences long and short",
        arguments: [UInt64(1), 2, 3])
    func viterbiNineTags(seed: UInt64) {
        #expect(EntityTagSet.count == EntityTagSet.tags.count)
        let tagCount = EntityTagSet.count
        // Scores from -3 to 3, the same on every run (mixed from the seed and a counter).
        var counter = seed << 32
        func random(_ count: Int) -> [Float] {
            (0..<count).map { _ in
                counter += 1
                return Float(EntityFeatures.mix(counter) % 6001) / 1000 - 3
            }
        }
        let transitions = random((tagCount + 1) * tagCount)
        let masked = ViterbiDecoder.masked(transitions, allowed: EntityTagSet.allowedTransitions)
        func score(_ path: [Int], _ emissions: [Float]) -> Float {
            var total = masked[tagCount * tagCount + path[0]] + emissions[path[0]]
            for position in 1..<path.count {
                total += masked[path[position - 1] * tagCount + path[position]] + emissions[position * tagCount + path[position]]
            }
            return total
        }
        var workspace = ViterbiDecoder.Workspace()
        for length in [4, 1, 3] {
            let emissions = random(length * tagCount)
            var paths: [[Int]] = [[]]
            for _ in 0..<length { paths = paths.flatMap { path in (0..<tagCount).map { path + [$0] } } }
            let best = paths.max { score($0, emissions) < score($1, emissions) }!
            let decoded = ViterbiDecoder.decodeWithMarginals(emissions: emissions, masked: masked, tagCount: tagCount, workspace: &workspace)
            #expect(decoded == best)
            #expect(ViterbiDecoder.decode(emissions: emissions, masked: masked, tagCount: tagCount) == best)
            for position in 0..<length {
                for tag in 0..<tagCount {
                    let top = paths.filter { $0[position] == tag }.map { score($0, emissions) }.max()!
                    let marginal = workspace.marginals[position * tagCount + tag]
                    #expect(top == -.infinity ? marginal == -.infinity : abs(marginal - top) < 1e-3)
                }
            }
        }
    }

    @Test(
        "entity-level scores with CoNLL semantics, against hand-computed counts",
        arguments: [
            // gold, predicted, (correct, predicted, gold)
            (["B-PERS", "I-PERS", "O", "B-LOC"], ["B-PERS", "O", "O", "B-LOC"], (1, 2, 2)),
            (["B-ORG", "I-ORG", "I-ORG"], ["B-ORG", "I-ORG", "I-ORG"], (1, 1, 1)),
            (["O", "B-MISC"], ["I-MISC", "B-MISC"], (1, 2, 1)),  // a stray I- opens an entity
            (["B-LOC", "B-LOC"], ["B-LOC", "I-LOC"], (0, 1, 2)),
            (["B-PERS"], ["B-ORG"], (0, 1, 1)),
        ]
    )
    func scorer(gold: [String], predicted: [String], expected: (Int, Int, Int)) {
        var evaluation = EntityEvaluation()
        evaluation.add(gold: Self.tags(gold), predicted: Self.tags(predicted))
        #expect(evaluation.overall == .init(truePositives: expected.0, predicted: expected.1, gold: expected.2))
    }

    @Test("precision, recall and F1 over several sentences")
    func scorerTotals() {
        var evaluation = EntityEvaluation()
        evaluation.add(gold: Self.tags(["B-PERS", "I-PERS", "O", "B-LOC"]), predicted: Self.tags(["B-PERS", "I-PERS", "O", "B-ORG"]))
        evaluation.add(gold: Self.tags(["B-ORG", "O"]), predicted: Self.tags(["B-ORG", "B-LOC"]))
        // gold 3, predicted 4, correct 2: P 0.5, R 2/3, F1 4/7.
        #expect(evaluation.overall.precision == 0.5)
        #expect(abs(evaluation.overall.recall - 2.0 / 3) < 1e-12)
        #expect(abs(evaluation.overall.f1 - 4.0 / 7) < 1e-12)
        #expect(evaluation.perType["LOC"] == .init(truePositives: 0, predicted: 1, gold: 1))
    }

    static let lexicon: EntityLexicon = {
        var lexicon = EntityLexicon()
        lexicon.add(type: "LOC", names: ["ليبيا", "طرابلس"])
        lexicon.add(type: "ORG", names: ["حلف شمال الأطلسي"])
        return lexicon
    }()

    @Test("features see through proclitics, hamza forms and diacritics, and match multi-word gazetteer names")
    func features() {
        let features = EntityFeatures(lexicon: Self.lexicon)
        func view(_ token: String) -> EntityFeatures.TokenView { features.view(of: token) { _ in } }
        #expect(view("لليبيا").stemHash == EntityLexicon.wordHash("ليبيا"))
        #expect(view("لليبيا").stemLength == 5)
        #expect(view("وبالحكومة").stemHash == EntityLexicon.wordHash("حكومه"))
        #expect(view("أحمد").foldedHash == view("احمد").foldedHash)
        #expect(view("مُحَمَّد").foldedHash == EntityLexicon.wordHash("محمد"))
        #expect(view("وطرابلس").gazetteerTypes & 0b10 != 0)  // LOC, through the stem
        let sentence = features.features(of: ["أكد", "حلف", "شمال", "الأطلسي", "أمس"])
        let gazetteerBegin = EntityFeatures.feature(23, UInt64(2) << 1)  // ORG, first word
        let gazetteerInside = EntityFeatures.feature(23, UInt64(2) << 1 | 1)
        #expect(sentence[1].contains(gazetteerBegin))
        #expect(sentence[2].contains(gazetteerInside) && sentence[3].contains(gazetteerInside))
        #expect(!sentence[0].contains(gazetteerBegin) && !sentence[4].contains(gazetteerInside))
        // Same word, same features, wherever it is analysed.
        #expect(features.features(of: ["طرابلس"]) == features.features(of: ["طرابلس"]))
    }

    @Test("gazetteer matches are the longest entries from each word, as written or from its stem, as a search of every length finds them")
    func gazetteerMatches() {
        var random = SplitMix64(seed: 11)
        let vocabulary = ["حلف", "شمال", "الأطلسي", "مجلس", "الأمن", "الدولي", "ليبيا", "طرابلس", "الوطني", "وزارة"].map {
            EntityLexicon.fold($0)
        }
        func word() -> String { vocabulary[Int(random.next() % UInt64(vocabulary.count))] }
        var matched = 0
        for _ in 0..<200 {
            var lexicon = EntityLexicon()
            for type in EntityTagSet.types {
                lexicon.add(type: type, names: (0..<4).map { _ in (0...(random.next() % 4)).map { _ in word() }.joined(separator: " ") })
            }
            let words = (0..<10).map { _ in EntityLexicon.wordHash(word()) }
            // Some words with a stem of their own (a clitic taken off).
            let stems = words.map { random.next() % 3 == 0 ? EntityLexicon.wordHash(word()) : $0 }
            let opens = zip(words, stems).map { lexicon.opensTypes(word: $0, stem: $1) }
            var expected: [(type: Int, range: Range<Int>)] = []
            for type in EntityTagSet.types.indices {
                var start = 0
                while start < words.count {
                    let length = stride(from: min(lexicon.longestEntry, words.count - start), through: 1, by: -1).first { length in
                        let tail = words[(start + 1)..<(start + length)]
                        return [words[start], stems[start]].contains {
                            lexicon.types(ofWord: EntityLexicon.sequenceHash(first: $0, rest: tail)) & 1 << type != 0
                        }
                    }
                    if let length { expected.append((type, start..<(start + length))) }
                    start += length ?? 1
                }
            }
            let found = lexicon.matches(words: words, stems: stems, opens: opens)
            #expect(found.map { "\($0.type) \($0.range)" } == expected.map { "\($0.type) \($0.range)" })
            matched += expected.filter { $0.range.count > 1 }.count
        }
        // The random sentences meet names of several words.
        #expect(matched > 50)
    }

    static let training: [LabeledSentence] = [
        (["زار", "أحمد", "علي", "طرابلس", "أمس"], ["O", "B-PERS", "I-PERS", "B-LOC", "O"]),
        (["قال", "محمد", "حسن", "في", "ليبيا"], ["O", "B-PERS", "I-PERS", "O", "B-LOC"]),
        (["أعلن", "حلف", "الناتو", "في", "بروكسل"], ["O", "B-ORG", "I-ORG", "O", "B-LOC"]),
        (["وصل", "علي", "حسن", "إلى", "طرابلس"], ["O", "B-PERS", "I-PERS", "O", "B-LOC"]),
        (["اجتمع", "حلف", "الناتو", "في", "ليبيا"], ["O", "B-ORG", "I-ORG", "O", "B-LOC"]),
        (["قال", "أحمد", "محمد", "إن", "الاجتماع", "انتهى"], ["O", "B-PERS", "I-PERS", "O", "O", "O"]),
    ].map { LabeledSentence(tokens: $0.0, tags: Self.tags($0.1)) }

    @Test("a model trained on a few sentences tags them, and survives a round trip through its file format")
    func roundTrip() async throws {
        var settings = EntityTrainer.Settings()
        settings.epochs = 8
        settings.folds = 2
        settings.documentSentences = 2
        // Bands: zipf 7.5 → 5, 3.5 → 2; a spelling variant (أحمد / احمد) keeps the commoner band.
        let bands = EntityFeatures.frequencyBands(wordList: "في\t0.03\t7.5\nطرابلس\t0.0001\t3.5\nأحمد\t0.001\t4.2\nاحمد\t0.0001\t2.5\nbad line\n")
        #expect(bands.count == 3)
        #expect(bands.first { $0.hash == EntityLexicon.wordHash("في") }?.band == 5)
        #expect(bands.first { $0.hash == EntityLexicon.wordHash("طرابلس") }?.band == 2)
        #expect(bands.first { $0.hash == EntityLexicon.wordHash("احمد") }?.band == 3)
        let features = EntityFeatures(lexicon: Self.lexicon, frequencyBands: bands)
        var model = await EntityTrainer(features: features, settings: settings).train(Self.training)
        model.aliases = ["الناتو": "حلف شمال الاطلسي"]
        // An abbreviation takes its full name's type (an organisation in the gazetteer); untagged words stay untagged.
        #expect(model.abbreviationTypes(in: ["بقيادة", "الناتو"], tags: Self.tags(["O", "B-LOC"])) == Self.tags(["O", "B-ORG"]))
        #expect(model.abbreviationTypes(in: ["وقال", "للناتو"], tags: Self.tags(["O", "B-PERS"])) == Self.tags(["O", "B-ORG"]))
        #expect(model.abbreviationTypes(in: ["بقيادة", "الناتو"], tags: Self.tags(["O", "O"])) == Self.tags(["O", "O"]))
        #expect(model.abbreviationTypes(in: ["في", "طرابلس"], tags: Self.tags(["O", "B-LOC"])) == Self.tags(["O", "B-LOC"]))
        // It learns its training data (the second pass, trained on two folds of three sentences, may slip once).
        #expect(Self.training.filter { model.tag($0.tokens) == $0.tags }.count >= 5)
        let bytes = model.serialized()
        let loaded = try EntityModel(bytes: bytes)
        #expect(loaded.serialized() == bytes)
        let unseen = ["زار", "محمد", "علي", "بروكسل", "أمس"]
        #expect(loaded.tag(unseen) == model.tag(unseen))
        #expect(loaded.features.lexicon == model.features.lexicon)
        #expect(loaded.features.frequencyBands.map(\.hash) == features.frequencyBands.map(\.hash))
        #expect(loaded.features.frequencyBands.map(\.band) == features.frequencyBands.map(\.band))
        #expect(loaded.algorithm == .perceptron && loaded.marginScale == 4)
        #expect(loaded.aliases == model.aliases)
        // A version 5 file has no aliases; a version 4 file (before the algorithm was written) reads as a perceptron's.
        let version5 = try EntityModel(bytes: model.serialized(version: 5))
        #expect(version5.aliases.isEmpty && version5.tag(unseen) == model.tag(unseen))
        #expect(Array(model.serialized(version: 5).prefix(8)) == Array("SIFTNER5".utf8))
        let previous = try EntityModel(bytes: model.serialized(version: 4))
        #expect(previous.algorithm == .perceptron && previous.aliases.isEmpty)
        #expect(Array(model.serialized(version: 4).prefix(8)) == Array("SIFTNER4".utf8))
        var unknownAlgorithm = bytes
        unknownAlgorithm[12] = 9
        #expect(throws: EntityModelError.self) { try EntityModel(bytes: unknownAlgorithm) }
        #expect(previous.tag(unseen) == model.tag(unseen))
        #expect(throws: EntityModelError.self) { try EntityModel(bytes: Array(bytes.prefix(bytes.count - 3))) }
        #expect(throws: EntityModelError.self) { try EntityModel(bytes: Array("SIFTNER0".utf8)) }
    }

    @Test("the conditional random field's likelihood matches every sequence counted out, and its gradient finite differences")
    func conditionalRandomFieldObjective() async {
        let tagCount = EntityTagSet.count
        let rowCount = 3
        // Two sentences as feature rows per token; the second's gold I-LOC after O reads as B-LOC.
        let sentences: [[[Int32]]] = [[[0], [1, 2], [2]], [[1], [0, 2]]]
        let tags = [[0, 1, 2], [0, 4]]
        #expect(ConditionalRandomFieldTrainer.repaired(tags[1]) == [0, 3])
        let gold = tags.map(ConditionalRandomFieldTrainer.repaired)
        var random = SplitMix64(seed: 7)
        let point = (0..<(rowCount * tagCount + (tagCount + 1) * tagCount)).map { _ in Double(random.next() % 1000) / 1000 - 0.5 }
        var gradient = [Double](repeating: 0, count: point.count)
        let unpenalised = await ConditionalRandomFieldTrainer(l2: 0).objective(point, &gradient, sentences: sentences, tags: gold, rowCount: rowCount)

        // The negative log-likelihood by brute force over all tag sequences the BIO rule allows.
        func score(_ sequence: [Int], _ sentence: [[Int32]]) -> Double {
            var total = 0.0
            for (position, tag) in sequence.enumerated() {
                for row in sentence[position] { total += point[Int(row) * tagCount + tag] }
                let previous = position == 0 ? tagCount : sequence[position - 1]
                total += point[rowCount * tagCount + previous * tagCount + tag]
            }
            return total
        }
        var expected = 0.0
        for (sentence, goldTags) in zip(sentences, gold) {
            var sequences: [[Int]] = [[]]
            for _ in sentence { sequences = sequences.flatMap { prefix in (0..<tagCount).map { prefix + [$0] } } }
            let allowed = sequences.filter { sequence in
                sequence.indices.allSatisfy { EntityTagSet.allows($0 == 0 ? nil : sequence[$0 - 1], sequence[$0]) }
            }
            let partition = allowed.map { exp(score($0, sentence)) }.reduce(0, +)
            expected += log(partition) - score(goldTags, sentence)
        }
        #expect(abs(unpenalised - expected) < 1e-9)

        var trainer = ConditionalRandomFieldTrainer(l2: 0.5)
        let value = await trainer.objective(point, &gradient, sentences: sentences, tags: gold, rowCount: rowCount)
        // Shared out among tasks (one sentence each when there are processors enough), the sums agree.
        trainer.sentencesPerTask = 1
        var shared = [Double](repeating: 0, count: point.count)
        let sharedValue = await trainer.objective(point, &shared, sentences: sentences, tags: gold, rowCount: rowCount)
        #expect(abs(sharedValue - value) < 1e-9)
        #expect(zip(shared, gradient).allSatisfy { abs($0 - $1) < 1e-9 })
        var again = [Double](repeating: 0, count: point.count)
        #expect(await trainer.objective(point, &again, sentences: sentences, tags: gold, rowCount: rowCount) == sharedValue)
        #expect(again == shared)
        for index in stride(from: 0, to: point.count, by: 5) {
            var shifted = point
            var unused = gradient
            shifted[index] += 1e-5
            let above = await trainer.objective(shifted, &unused, sentences: sentences, tags: gold, rowCount: rowCount)
            shifted[index] -= 2e-5
            let below = await trainer.objective(shifted, &unused, sentences: sentences, tags: gold, rowCount: rowCount)
            #expect(abs((above - below) / 2e-5 - gradient[index]) < 1e-5, "parameter \(index)")
        }
    }

    @Test("a person's name begins at the first name before it, when that is a rare one-word name of the gazetteers")
    func firstNames() async {
        var lexicon = Self.lexicon
        lexicon.add(type: "PERS", names: ["فايزة", "الشيخ", "كان", "صالح"])
        // كان is a very common word (Zipf 6.5), صالح a common one (5.2), فايزة rarer (3.8).
        let bands = EntityFeatures.frequencyBands(wordList: "كان\t0.003\t6.5\nصالح\t0.0001\t5.2\nفايزة\t0.00001\t3.8\n")
        var settings = EntityTrainer.Settings()
        settings.epochs = 1
        settings.folds = 2
        settings.documentSentences = 2
        let model = await EntityTrainer(features: EntityFeatures(lexicon: lexicon, frequencyBands: bands), settings: settings).train(Self.training)
        func corrected(_ text: String, _ tags: String) -> [String] {
            let tokens = text.split(separator: " ").map(String.init)
            return model.firstNames(in: tokens, tags: Self.tags(tags.split(separator: " ").map(String.init))).map { EntityTagSet.tags[$0] }
        }
        #expect(corrected("قالت فايزة أبوالنجا إن", "O O B-PERS O") == ["O", "B-PERS", "I-PERS", "O"])
        #expect(corrected("قال الشيخ حمد إن", "O O B-PERS O") == ["O", "O", "B-PERS", "O"])  // a title, with the article
        #expect(corrected("كان أبوالنجا يقول", "O B-PERS O") == ["O", "B-PERS", "O"])  // a very common word
        #expect(corrected("قال صالح محمد", "O O B-PERS") == ["O", "O", "B-PERS"])  // too common a word
        #expect(corrected("فايزة أبوالنجا وزيرة", "O O O") == ["O", "O", "O"])  // no name after it
        #expect(corrected("فايزة أبوالنجا", "B-LOC B-PERS") == ["B-LOC", "B-PERS"])  // already tagged
    }

    @Test("a conditional random field trained on a few sentences tags them, whatever the sentence order")
    func conditionalRandomFieldTraining() async throws {
        var settings = EntityTrainer.Settings()
        settings.algorithm = .crf
        settings.l2 = 0.1
        settings.folds = 2
        settings.documentSentences = 2
        let features = EntityFeatures(lexicon: Self.lexicon)
        let model = await EntityTrainer(features: features, settings: settings).train(Self.training)
        #expect(Self.training.filter { model.tag($0.tokens) == $0.tags }.count >= 5)
        #expect(model.algorithm == .crf && model.marginScale == 1)
        #expect(try EntityModel(bytes: model.serialized()).algorithm == .crf)
        settings.seed = 99
        let other = await EntityTrainer(features: features, settings: settings).train(Self.training)
        #expect(other.serialized() == model.serialized())
    }

    @Test("the token cache changes nothing: tags and margins agree with and without it, through evictions", arguments: [5, 1_000])
    func tokenCache(capacity: Int) throws {
        let url = try BundledEntityModel.url()
        let uncached = try EntityModel(contentsOf: url, tokenCacheCapacity: 0)
        let cached = try EntityModel(contentsOf: url, tokenCacheCapacity: capacity)
        let documents = [
            [["قال", "الأمين", "العام", "لحلف", "الناتو", "ينس", "ستولتنبرغ", "إن", "الحلف", "مستعد"], ["وأكد", "ستولتنبرغ", "دعمه", "لليبيا"]],
            [
                ["اتصل", "ستولتنبرغ", "برئيس", "المجلس", "الرئاسي", "فايز", "السراج"],
                ["وبحث", "السراج", "مع", "ستولتنبرغ", "الوضع", "في", "طرابلس"],
            ],
            [["زار", "أحمد", "علي", "طرابلس"]],
        ]
        // Twice over: the second round is served from the cache (or what is left of it after evictions).
        for document in documents + documents {
            #expect(cached.tag(document: document) == uncached.tag(document: document))
            let margins = cached.tagWithMargins(document: document).map { $0.map(\.margin) }
            #expect(margins == uncached.tagWithMargins(document: document).map { $0.map(\.margin) })
        }
    }

    @Test("tokens whose keys collide stay distinct in a document, and the cache never serves one for another")
    func collidingKeys() throws {
        let document = [["طرابلس", "قال", "طرابلس"], ["السراج", "قال"]]
        let (tokens, keys, sentences) = EntityFeatures.distinctTokens(of: document) { _ in 7 }
        #expect(tokens == ["طرابلس", "قال", "السراج"])
        #expect(sentences == [[0, 1, 0], [2, 1]])
        #expect(Set(keys).count == 3 && keys[0] == 7)

        let features = try EntityModel(contentsOf: try BundledEntityModel.url(), tokenCacheCapacity: 0).features
        let cache = TokenAnalysisCache(capacity: 8)
        let width = TokenAnalysisCache.width
        let neighbourWidth = TokenAnalysisCache.neighbourWidth
        // Room for two tokens.
        var scores = [Float](repeating: 1, count: 2 * width)
        var neighbours = [Float](repeating: 2, count: 2 * neighbourWidth)
        let view = features.view(of: "طرابلس") { _ in }
        cache.store(keys: [7], tokens: ["طرابلس"], indices: [0], views: [view], scores: &scores, neighbourScores: &neighbours)
        var found: [EntityFeatures.TokenView?] = [nil, nil]
        // The same key, another token: unknown, and not stored over the first.
        #expect(cache.fill(keys: [7, 7], tokens: ["قال", "طرابلس"], views: &found, scores: &scores, neighbourScores: &neighbours) == [0])
        #expect(found[0] == nil && found[1] != nil)
        cache.store(
            keys: [7], tokens: ["قال"], indices: [0], views: [features.view(of: "قال") { _ in }], scores: &scores, neighbourScores: &neighbours)
        #expect(cache.fill(keys: [7], tokens: ["قال"], views: &found, scores: &scores, neighbourScores: &neighbours) == [0])
        // A token longer than any word is not kept.
        let long = String(repeating: "ب", count: TokenAnalysisCache.longestToken)
        cache.store(keys: [8], tokens: [long], indices: [0], views: [view], scores: &scores, neighbourScores: &neighbours)
        #expect(cache.fill(keys: [8], tokens: [long], views: &found, scores: &scores, neighbourScores: &neighbours) == [0])
    }

    /// A document's views, for the document-level steps after decoding.
    static func views(_ document: [[String]]) -> EntityFeatures.DocumentViews {
        EntityFeatures(lexicon: lexicon).views(ofDocument: document) { _, _ in }
    }

    @Test("trigger words and organisations' head words are found under proclitics; a head word is never part of a person's name")
    func organisationHeads() {
        for word in ["لحلف", "وللحلف", "بالوزارة", "وشركة"] {
            #expect(EntityFeatures.headsOrganisation(afterProclitics: EntityLexicon.fold(word)), "\(word)")
        }
        for word in ["لندن", "وليد", "حلفا", "بلال"] {
            #expect(!EntityFeatures.headsOrganisation(afterProclitics: EntityLexicon.fold(word)), "\(word)")
        }
        // Trigger words under proclitics announce a name as they do alone: لحلف … an organisation, ووزير … a person.
        let views = Self.views([["لحلف", "ووزير", "لندن"]]).views(ofSentence: 0)
        let (person, organisation) = (UInt8(1) << EntityTagSet.types.firstIndex(of: "PERS")!, UInt8(1) << EntityTagSet.types.firstIndex(of: "ORG")!)
        #expect(views[0].triggersBefore & organisation != 0 && views[0].headsOrganisation)
        #expect(views[1].triggersBefore & person != 0 && !views[1].headsOrganisation)
        #expect(views[2].triggersBefore == 0)
    }

    @Test("a person's name ends where a preposition with the article begins; an organisation's does not")
    func splitNames() {
        let views = Self.views([["ستولتنبرغ", "للسراج"], ["الجمعية", "العامة", "للأمم", "المتحدة"], ["محمد", "بالحكومة"]])
        #expect(EntityModel.splitNames(Self.tags(["B-PERS", "I-PERS"]), sentence: 0, views: views) == Self.tags(["B-PERS", "B-PERS"]))
        let organisation = Self.tags(["B-ORG", "I-ORG", "I-ORG", "I-ORG"])
        #expect(EntityModel.splitNames(organisation, sentence: 1, views: views) == organisation)
        #expect(EntityModel.splitNames(Self.tags(["B-PERS", "O"]), sentence: 2, views: views) == Self.tags(["B-PERS", "O"]))
    }

    @Test(
        "a short quoted span after a title's or a newspaper's head word is a name of that kind, where the tagger left it untagged",
        arguments: [
            ("قدم برنامج « الناس وأنا » أمس", "O O O B-MISC I-MISC O O"),
            ("نقلت صحيفة ' ' معاريف ' ' عن", "O O O O B-ORG O O O"),
            ("ويقدم ببرنامجها « حكايات » .", "O O O B-MISC O O"),
            ("كتاب بعنوان \" مبدأ حواء \" .", "O O O B-MISC I-MISC O O"),
            ("لمجلة « تايم » .", "O O B-ORG O O"),
            ("قدم برنامجا « حكايات » .", "O O O B-MISC O O"),
            // No head word; a head word with the article (speech: "she told the newspaper «yes»"); too long to be a title; no closing mark.
            ("وقال « نعم » .", "O O O O O"),
            ("وقالت للصحيفة « نعم » .", "O O O O O O"),
            ("برنامج « هذا هو أطول من عنوان » .", "O O O O O O O O O"),
            ("برنامج « الناس", "O O O"),
        ])
    func quotedNames(text: String, expected: String) {
        let tokens = text.split(separator: " ").map(String.init)
        let expected = Self.tags(expected.split(separator: " ").map(String.init))
        let tagged = [Int](repeating: EntityTagSet.outside, count: tokens.count)
        #expect(EntityModel.quotedNames(in: tokens, tags: tagged) == expected)
    }

    @Test("a quoted name read as another type takes its head word's; a person's name ends before such a head word")
    func quotedNamesRetypedAndPersonsCut() {
        let city = ["في", "مدينة", "\"", "بورتوروز", "\"", "."]
        #expect(
            EntityModel.quotedNames(in: city, tags: Self.tags(["O", "O", "O", "B-ORG", "O", "O"])) == Self.tags(["O", "O", "O", "B-LOC", "O", "O"]))
        // Part of a longer name, or two names: left alone.
        let two = ["صحيفة", "«", "محمد", "علي", "»"]
        #expect(
            EntityModel.quotedNames(in: two, tags: Self.tags(["O", "O", "B-PERS", "B-PERS", "O"])) == Self.tags(["O", "O", "B-PERS", "B-PERS", "O"]))
        let actor = ["قدم", "طلعت", "زكريا", "برنامجا", "جديدا"]
        #expect(
            EntityModel.personsEndingBeforeHeadWords(in: actor, tags: Self.tags(["O", "B-PERS", "I-PERS", "I-PERS", "O"]))
                == Self.tags(["O", "B-PERS", "I-PERS", "O", "O"]))
        let organisation = ["أعلنت", "شركة", "نيسان"]
        #expect(
            EntityModel.personsEndingBeforeHeadWords(in: organisation, tags: Self.tags(["O", "B-ORG", "I-ORG"]))
                == Self.tags(["O", "B-ORG", "I-ORG"]))
    }

    @Test("names found once are spread to their untagged mentions: surnames alone, full names again; not across types")
    func spreadNames() {
        let document = [
            ["بحث", "فائز", "السراج", "مع", "علي", "حسن"],
            ["وقال", "السراج", "إن", "فائز", "السراج", "وحسن", "و", "علي", "حسن"],
            ["وزار", "حلف", "الناتو", "ليبيا"],
            ["وأعلن", "حلف", "الناتو"],
        ]
        let tags = [
            Self.tags(["O", "B-PERS", "I-PERS", "O", "B-PERS", "I-PERS"]),
            Self.tags(["O", "O", "O", "O", "O", "O", "O", "O", "O"]),
            Self.tags(["O", "B-ORG", "I-ORG", "B-LOC"]),
            Self.tags(["O", "O", "O"]),
        ]
        let spread = EntityModel.spreadNames(views: Self.views(document), tags: tags)
        let found = spread.map { "\($0.sentence):\($0.range.lowerBound)-\($0.range.upperBound):\(EntityTagSet.tags[$0.begin])" }
        // السراج alone (a surname of four letters or more), فائز السراج in full, علي حسن in full;
        // حسن alone is too short to be taken for a surname; حلف الناتو again.
        #expect(found == ["1:1-2:B-PERS", "1:3-5:B-PERS", "1:7-9:B-PERS", "3:1-3:B-ORG"])
        #expect(spread.first?.source.sentence == 0 && spread.first?.source.range == 1..<3)

        // The same words found as two types: left alone.
        var conflicting = tags
        conflicting[2] = Self.tags(["O", "B-PERS", "I-PERS", "B-LOC"])
        let none = EntityModel.spreadNames(
            views: Self.views(document + [["أكد", "حلف", "الناتو"]]), tags: conflicting + [Self.tags(["O", "B-ORG", "I-ORG"])])
        #expect(!none.contains { $0.sentence == 3 })
    }

    @Test("reads IOB2 files and names the line of a bad entry")
    func readsConll() throws {
        let sentences = try LabeledSentence.read(conll: "فرانكفورت B-LOC\n( O\n\nأعلن O\nاتحاد B-ORG\n")
        #expect(sentences.map(\.tokens) == [["فرانكفورت", "("], ["أعلن", "اتحاد"]])
        // The same with CRLF line ends (one character each, which a split by characters missed).
        let crlf = try LabeledSentence.read(conll: "فرانكفورت B-LOC\r\n( O\r\n\r\nأعلن O\r\nاتحاد B-ORG\r\n")
        #expect(crlf == sentences)
        let error = #expect(throws: EntityModelError.self) { try LabeledSentence.read(conll: "a O\nb B-XYZ\n") }
        #expect(error?.message.hasPrefix("line 2") == true)
        let split = LabeledSentence.split(Array(repeating: sentences[0], count: 10), developmentFraction: 0.1)
        #expect(split.train.count == 9 && split.development.count == 1)
        // Fractions out of range (`siftd eval ner --last 10` trapped): the nearer end.
        for (fraction, development) in [(10.0, 10), (-0.5, 0), (Double.nan, 0), (.infinity, 10), (1, 10), (0, 0)] {
            let split = LabeledSentence.split(Array(repeating: sentences[0], count: 10), developmentFraction: fraction)
            #expect(split.development.count == development && split.train.count == 10 - development, "\(fraction)")
        }
    }

    @Test(
        "canonical forms drop proclitics, keep the article, and leave names alone",
        arguments: [
            (["لليبيا"], "ليبيا"), (["وطرابلس"], "طرابلس"), (["للأمم", "المتحدة"], "الأمم المتحدة"),
            (["بالحكومة"], "الحكومة"), (["بوتين"], "بوتين"), (["والسراج"], "السراج"), (["فائز", "السراج"], "فائز السراج"),
            // و + ك + الة would leave a stem of one letter ("اله" is a word).
            (["وكالة", "الأنباء"], "وكالة الأنباء"),
        ]
    )
    func canonical(words: [String], expected: String) {
        let known: Set<String> = ["ليبيا", "طرابلس", "امم", "اله"].map { EntityLexicon.fold($0) }.reduce(into: []) { $0.insert($1) }
        #expect(EntityCanonicalizer { known.contains($0) }.canonical(words) == expected)
    }

    @Test("spelling variants share a key")
    func keys() {
        #expect(EntityCanonicalizer.key("فائز السراج") == EntityCanonicalizer.key("فايز السراج"))
        #expect(EntityCanonicalizer.key("الأمم المتحدة") == EntityCanonicalizer.key("الامم المتحده"))
        #expect(EntityCanonicalizer.key("مؤتمر") == EntityCanonicalizer.key("موتمر"))
        #expect(EntityCanonicalizer.key("ليبيا") != EntityCanonicalizer.key("سوريا"))
    }

    @Test("mentions merge into entities: spellings, short and full names, an abbreviation in brackets; ranked by salience")
    func resolves() {
        let text = "أكد ينس ستولتنبرغ أمين حلف شمال الأطلسي (الناتو) لفايز السراج ثم قال ستولتنبرغ إن فائز السراج والناتو متفقان في طرابلس."
        let scalars = Array(text.unicodeScalars)
        func mention(_ surface: String, _ type: String, _ canonical: String? = nil, occurrence: Int = 0) -> EntityMention {
            var from = text.startIndex
            var range = text.range(of: surface)!
            for _ in 0..<occurrence {
                from = range.upperBound
                range = text.range(of: surface, range: from..<text.endIndex)!
            }
            let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
            let span = TextSpan(start, start + surface.unicodeScalars.count)
            return EntityMention(text: surface, type: type, span: span, canonical: canonical ?? surface, confidence: 0.9)
        }
        var mentions = [
            mention("ينس ستولتنبرغ", "PERS"), mention("حلف شمال الأطلسي", "ORG"), mention("الناتو", "ORG"),
            mention("لفايز السراج", "PERS", "فايز السراج"), mention("ستولتنبرغ", "PERS", occurrence: 1),
            mention("فائز السراج", "PERS", occurrence: 0), mention("والناتو", "ORG", "الناتو"), mention("طرابلس", "LOC"),
        ].sorted { $0.span.start < $1.span.start }
        let entities = EntityResolver().resolve(&mentions, text: scalars, leadEnd: 0)
        #expect(entities.count == 4)
        let byName = Dictionary(uniqueKeysWithValues: entities.enumerated().map { ($1.canonical, ($0, $1)) })
        #expect(byName["ينس ستولتنبرغ"]?.1.mentions == 2)
        #expect(byName["حلف شمال الأطلسي"]?.1.mentions == 3)
        #expect(byName["حلف شمال الأطلسي"]?.1.forms == ["حلف شمال الأطلسي", "الناتو"])
        let sarraj = entities.first { $0.type == "PERS" && $0.forms.contains("فايز السراج") }
        #expect(sarraj?.mentions == 2)
        #expect(sarraj?.forms.contains("فائز السراج") == true)
        #expect(entities.first?.canonical == "حلف شمال الأطلسي")  // most mentioned
        #expect(entities.last?.canonical == "طرابلس")
        #expect(entities.first?.salience == 1)
        #expect(mentions.allSatisfy { $0.entity != nil })
        #expect(mentions.filter { $0.entity == byName["ينس ستولتنبرغ"]?.0 }.count == 2)
    }
}

extension EntityTaggerTests {
    @Test("a known abbreviation merges into its full name wherever the two stand, as does the abbreviation after the head word")
    func resolvesAliases() {
        let text = "حلف شمال الأطلسي يؤكد دعمه. وقال الأمين العام للناتو إن حلف الناتو والأمم المتحدة متفقان."
        func mention(_ surface: String, _ type: String, _ canonical: String? = nil) -> EntityMention {
            let range = text.range(of: surface)!
            let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
            return EntityMention(
                text: surface, type: type, span: TextSpan(start, start + surface.unicodeScalars.count), canonical: canonical ?? surface,
                confidence: 0.9)
        }
        let found = [
            mention("حلف شمال الأطلسي", "ORG"), mention("للناتو", "LOC", "الناتو"), mention("حلف الناتو", "ORG"),
            mention("والأمم المتحدة", "ORG", "الأمم المتحدة"),
        ]
        var mentions = found
        let aliases = [EntityCanonicalizer.key("الناتو"): EntityCanonicalizer.key("حلف شمال الأطلسي")]
        let entities = EntityResolver(aliases: aliases).resolve(&mentions, text: Array(text.unicodeScalars), leadEnd: 0)
        #expect(entities.map(\.canonical) == ["حلف شمال الأطلسي", "الأمم المتحدة"])
        #expect(entities.first?.type == "ORG" && entities.first?.mentions == 3)
        #expect(entities.first?.forms == ["حلف شمال الأطلسي", "الناتو", "حلف الناتو"])
        // The aliases given after the resolver was made count the same.
        var late = EntityResolver()
        late.aliases = aliases
        var again = found
        #expect(late.resolve(&again, text: Array(text.unicodeScalars), leadEnd: 0).map(\.canonical) == entities.map(\.canonical))
        // Without the alias the three stay apart (the place is another type; "حلف الناتو" holds no other name).
        var apart = found
        #expect(EntityResolver().resolve(&apart, text: Array(text.unicodeScalars), leadEnd: 0).count == 4)
        // "الحلف" alone is the one alliance the document names; with two ministries, "الوزارة" is neither.
        let heads = "أكد حلف شمال الأطلسي أن الحلف مستعد. وقالت وزارة الخارجية ووزارة الدفاع إن الوزارة ستعلن."
        func headMention(_ surface: String, occurrence: Int = 0) -> EntityMention {
            var range = heads.range(of: surface)!
            for _ in 0..<occurrence { range = heads.range(of: surface, range: range.upperBound..<heads.endIndex)! }
            let start = heads.unicodeScalars.distance(from: heads.unicodeScalars.startIndex, to: range.lowerBound)
            return EntityMention(
                text: surface, type: "ORG", span: TextSpan(start, start + surface.unicodeScalars.count), canonical: surface, confidence: 0.9)
        }
        var headMentions = [
            headMention("حلف شمال الأطلسي"), headMention("الحلف", occurrence: 0), headMention("وزارة الخارجية"),
            headMention("وزارة الدفاع"), headMention("الوزارة"),
        ]
        let headEntities = EntityResolver().resolve(&headMentions, text: Array(heads.unicodeScalars), leadEnd: 0)
        #expect(headEntities.first { $0.canonical == "حلف شمال الأطلسي" }?.mentions == 2)
        #expect(headEntities.count == 4)
        // An unrelated two-word name ending in the abbreviation is not merged.
        var other = [mention("حلف شمال الأطلسي", "ORG"), mention("والأمم المتحدة", "ORG", "الأمم المتحدة")]
        let unrelated = [EntityCanonicalizer.key("المتحدة"): EntityCanonicalizer.key("حلف شمال الأطلسي")]
        #expect(EntityResolver(aliases: unrelated).resolve(&other, text: Array(text.unicodeScalars), leadEnd: 0).count == 2)
    }

    @Test("abbreviations in brackets after a name are gathered when they recur, and only for one name")
    func harvestsAliases() throws {
        let model = try BundledEntityModel.load()
        var harvester = EntityHarvester()
        let nato = "اجتمع وزراء حلف شمال الأطلسي (الناتو) في بروكسل أمس."
        harvester.add(text: nato, model: model)
        #expect(harvester.aliases().isEmpty)  // once is not enough
        harvester.add(text: "وأعلن حلف شمال الأطلسي (الناتو) أن الحلف مستعد.", model: model)
        #expect(harvester.aliases()[EntityCanonicalizer.key("الناتو")] == EntityCanonicalizer.key("حلف شمال الأطلسي"))
        // A word in brackets after an organisation, even when the tagger leaves it untagged; not a number.
        var agencies = EntityHarvester()
        for _ in 0..<2 {
            agencies.add(text: "وذكرت وكالة الأنباء السعودية (واس) أن الوفد وصل.", model: model)
            agencies.add(text: "وذكرت وكالة الأنباء السعودية (2) أن الوفد وصل.", model: model)
        }
        let canonicalizer = EntityCanonicalizer { model.features.knows($0) }
        let agency = EntityCanonicalizer.key(canonicalizer.canonical(["وكالة", "الأنباء", "السعودية"]))
        #expect(agency == EntityCanonicalizer.key("وكالة الأنباء السعودية"))
        #expect(agencies.aliases() == [EntityCanonicalizer.key(canonicalizer.canonical(["واس"])): agency])
        // The same letters after another name, as often: an ambiguous abbreviation is no alias.
        for _ in 0..<2 { harvester.add(text: "وأعلنت منظمة الصحة العالمية (الناتو) أن المرض انتشر.", model: model) }
        #expect(harvester.aliases().isEmpty)
    }

    @Test("the quick test of abbreviations lets through every name whose key is an alias, and few others")
    func aliasKeyFilter() throws {
        let model = try BundledEntityModel.load()
        #expect(!model.aliases.isEmpty)
        let canonicalizer = EntityCanonicalizer { model.features.knows($0) }
        // The aliases' keys as words, under every proclitic a name is found with.
        var names: [[String]] = []
        for key in model.aliases.keys {
            let words = key.split(separator: " ").map(String.init)
            let bare = words[0].hasPrefix("ال") ? String(words[0].dropFirst(2)) : words[0]
            for first in [words[0], "و" + words[0], "ب" + words[0], "لل" + bare, "وبال" + bare, "ف" + bare] {
                names.append([first] + words.dropFirst())
            }
        }
        var matched = 0
        for name in names where model.aliases[EntityCanonicalizer.key(canonicalizer.canonical(name))] != nil {
            matched += 1
            #expect(model.aliasFilter.mayMatch(name[...]), "\(name)")
        }
        #expect(matched >= model.aliases.count)
        // Names of the seeds' kind are no abbreviation, and the filter says so before any canonical form.
        let others = [["طرابلس"], ["فايز", "السراج"], ["المجلس", "الرئاسي"], ["ليبيا"], ["Brussels"], ["الأمم", "المتحدة", "للدعم"]]
        for name in others {
            #expect(model.aliases[EntityCanonicalizer.key(canonicalizer.canonical(name))] == nil)
            #expect(!model.aliasFilter.mayMatch(name[...]), "\(name)")
        }
        // A word that folds to several words goes to the exact test.
        #expect(model.aliasFilter.mayMatch(["\u{FDFA}"]))
        // Keys of folded words, as the resolver reads them.
        for key in model.aliases.keys {
            let words = key.split(separator: " ").map(String.init)
            #expect(model.aliasFilter.mayMatch(foldedWords: words))
            // The resolver's second look-up, without the first word: let through whenever it is a key.
            let rest = words.dropFirst()
            if !rest.isEmpty, model.aliases[rest.joined(separator: " ")] != nil {
                #expect(model.aliasFilter.mayMatch(foldedWords: rest))
            }
        }
        #expect(!model.aliasFilter.mayMatch(foldedWords: ["طرابلس"]) && !model.aliasFilter.mayMatch(foldedWords: [String]()))
        let filter = AliasKeyFilter(keys: ["الناتو", "حلف الناتو"])
        #expect(filter.mayMatch(["للناتو"]) && filter.mayMatch(["ناتو"]) && filter.mayMatch(["حلف", "الناتو"]))
        #expect(!filter.mayMatch(["الحلف"]) && !filter.mayMatch(["الناتو", "اليوم"]) && !filter.mayMatch([]))
    }
}

/// The rule tagger for English and French.
@Suite("Capitalised-name rules")
struct CapitalizedNameTaggerTests {
    static let tagger: CapitalizedNameTagger = {
        var lexicon = EntityLexicon()
        lexicon.add(type: "LOC", names: ["Brussels"])
        return CapitalizedNameTagger(lexicon: lexicon)
    }()

    /// Each mention as `canonical/type/confidence`, after checking that its offsets cut its text out of `text`.
    static func mentions(_ text: String) -> [String] {
        let scalars = ScalarText(text)
        let mentions = tagger.mentions(in: scalars, regions: [])
        for mention in mentions { #expect(scalars[mention.span] == mention.text) }
        return mentions.map { "\($0.canonical)/\($0.type)/\($0.confidence)" }
    }

    @Test("English: people after titles, acronyms as organisations, places from the gazetteer, a surname alone typed by the full name")
    func english() {
        let text =
            "President Emmanuel Macron met NATO Secretary General Jens Stoltenberg in Brussels on Monday. Stoltenberg said the Bank of England agreed."
        #expect(
            Self.mentions(text) == [
                "Emmanuel Macron/PERS/0.9", "NATO/ORG/0.9", "Jens Stoltenberg/PERS/0.9", "Brussels/LOC/0.9", "Stoltenberg/PERS/0.7",
                "Bank of England/ORG/0.9",
            ])
    }

    @Test("French: a person after a title, a place after a preposition, an organisation by its telling word")
    func french() {
        let text = "Le président Emmanuel Macron a reçu la ministre à Paris. La réunion au Ministère des Armées a duré."
        #expect(Self.mentions(text) == ["Emmanuel Macron/PERS/0.9", "Paris/LOC/0.6", "Ministère des Armées/ORG/0.9"])
    }

    @Test("a capitalised word opening a sentence needs evidence; an article is not part of a name; a weekday is no name")
    func sentenceOpening() {
        #expect(Self.mentions("Yesterday the council met on Monday. Officials agreed.") == [])
        #expect(Self.mentions("The United Nations met. Talks went on.") == ["United Nations/ORG/0.9"])
    }
}

/// The tagger chosen by language, the confidence threshold and the resolution, with the bundled model.
@Suite("Entity recognizer")
struct EntityRecognizerTests {
    static let model: EntityModel = try! BundledEntityModel.load()

    @Test("Arabic goes to the trained model, English and French to the rules; other languages have no tagger")
    func taggers() throws {
        let recognizer = EntityRecognizer(model: Self.model, minimumConfidence: 0)
        let arabic = try #require(try recognizer.recognize(ScalarText("وصل الوفد إلى طرابلس أمس."), language: "ar", regions: []))
        #expect(arabic.tagger == "arabic-crf")
        #expect(arabic.mentions.map(\.canonical) == ["طرابلس"])
        let french = try #require(try recognizer.recognize(ScalarText("Le ministre est arrivé à Paris."), language: "fr", regions: []))
        #expect(french.tagger == "rules-fr")
        #expect(try recognizer.recognize(ScalarText("Der Minister kam nach Berlin."), language: "de", regions: []) == nil)
    }

    @Test("mentions below the minimum confidence are left out; the rest are resolved into ranked entities")
    func minimumConfidence() throws {
        let text = ScalarText("President Emmanuel Macron met Jens Stoltenberg in Brussels. Stoltenberg said Macron agreed.")
        let all = try #require(try EntityRecognizer(model: Self.model, minimumConfidence: 0).recognize(text, language: "en", regions: []))
        #expect(all.mentions.map(\.canonical) == ["Emmanuel Macron", "Jens Stoltenberg", "Brussels", "Stoltenberg", "Macron"])
        #expect(all.entities.map(\.canonical) == ["Emmanuel Macron", "Jens Stoltenberg", "Brussels"])
        #expect(all.mentions.map(\.entity) == [0, 1, 2, 1, 0])
        let confident = try #require(try EntityRecognizer(model: Self.model, minimumConfidence: 0.8).recognize(text, language: "en", regions: []))
        // Only the name after a title is sure enough; a surname alone, typed by its full name, is not.
        #expect(confident.mentions.map(\.canonical) == ["Emmanuel Macron"])
        #expect(confident.entities.map(\.canonical) == ["Emmanuel Macron"])
    }
}
