/// Entity-level scoring with CoNLL semantics: a predicted entity counts only when its span and
/// type are exactly those of a gold entity.
public struct EntityEvaluation: Sendable {
    /// Counts for one type, or for all.
    public struct Counts: Sendable, Equatable {
        public var truePositives = 0
        public var predicted = 0
        public var gold = 0

        public init(truePositives: Int = 0, predicted: Int = 0, gold: Int = 0) {
            self.truePositives = truePositives
            self.predicted = predicted
            self.gold = gold
        }

        /// Precision (0 when nothing was predicted).
        public var precision: Double { predicted == 0 ? 0 : Double(truePositives) / Double(predicted) }
        /// Recall (0 when there is nothing to find).
        public var recall: Double { gold == 0 ? 0 : Double(truePositives) / Double(gold) }
        /// The harmonic mean of precision and recall.
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    }

    /// Micro-averaged counts over all types.
    public private(set) var overall = Counts()
    /// Counts per entity type.
    public private(set) var perType: [String: Counts] = [:]

    public init() {}

    /// The entities of a tag sequence: (type, token range). A stray `I-X` starts an entity, as conlleval does.
    public static func entities(_ tags: [Int]) -> [(type: String, range: Range<Int>)] {
        var entities: [(type: String, range: Range<Int>)] = []
        var start: Int?
        var type: String?
        for (index, tag) in tags.enumerated() {
            let tagType = EntityTagSet.type(of: tag)
            let continues = tagType != nil && !EntityTagSet.isBegin(tag) && tagType == type
            if continues { continue }
            if let begun = start, let type { entities.append((type, begun..<index)) }
            start = tagType == nil ? nil : index
            type = tagType
        }
        if let begun = start, let type { entities.append((type, begun..<tags.count)) }
        return entities
    }

    /// Adds one sentence.
    public mutating func add(gold: [Int], predicted: [Int]) {
        let goldEntities = Self.entities(gold)
        let predictedEntities = Self.entities(predicted)
        let goldSet = Set(goldEntities.map { "\($0.type):\($0.range.lowerBound):\($0.range.upperBound)" })
        for entity in goldEntities {
            overall.gold += 1
            perType[entity.type, default: Counts()].gold += 1
        }
        for entity in predictedEntities {
            overall.predicted += 1
            perType[entity.type, default: Counts()].predicted += 1
            if goldSet.contains("\(entity.type):\(entity.range.lowerBound):\(entity.range.upperBound)") {
                overall.truePositives += 1
                perType[entity.type, default: Counts()].truePositives += 1
            }
        }
    }
}
