/// The BIO tags of the tagger: `O`, and `B-` (begins) and `I-` (inside) for each entity type.
public enum EntityTagSet {
    /// The entity types, as ANERcorp names them.
    public static let types = ["PERS", "LOC", "ORG", "MISC"]
    /// Every tag, in model order: `O` first, then `B-` and `I-` per type.
    public static let tags: [String] = ["O"] + types.flatMap { ["B-\($0)", "I-\($0)"] }
    /// The number of tags (``tags``' count, as a literal: the tagger's loops over the tags are
    /// then unrolled at compile time).
    public static let count = 9
    /// The index of `O`.
    public static let outside = 0

    /// The index of a tag, if it is one (IOB1 `I-` without `B-` is read as is).
    public static func index(of tag: String) -> Int? { tags.firstIndex(of: tag) }

    /// Whether `tag` begins an entity.
    public static func isBegin(_ tag: Int) -> Bool { tag != outside && tag % 2 == 1 }

    /// The entity type of a tag (`nil` for `O`).
    public static func type(of tag: Int) -> String? { tag == outside ? nil : types[(tag - 1) / 2] }

    /// ``allows(_:_:)`` as a table for the decoder: `[previous * count + next]`, row `count` for the start.
    static let allowedTransitions = ViterbiDecoder.allowedTransitions(tagCount: count, allows: allows)

    /// Whether `next` may follow `previous` (`nil` at the start): `I-X` only after `B-X` or `I-X`.
    public static func allows(_ previous: Int?, _ next: Int) -> Bool {
        guard next != outside, !isBegin(next) else { return true }
        guard let previous, previous != outside else { return false }
        return type(of: previous) == type(of: next)
    }
}
