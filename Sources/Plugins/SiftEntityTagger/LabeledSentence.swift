import Foundation

/// A tokenised sentence with its gold tags: the unit of training and evaluation.
public struct LabeledSentence: Sendable, Equatable {
    /// The tokens.
    public var tokens: [String]
    /// One tag index per token (``EntityTagSet``).
    public var tags: [Int]

    /// Creates a sentence.
    public init(tokens: [String], tags: [Int]) {
        self.tokens = tokens
        self.tags = tags
    }

    /// Reads `token TAG` lines (IOB2; a blank line between sentences), as ANERcorp is laid out.
    /// - Throws: ``EntityModelError`` naming the line of a malformed entry or an unknown tag.
    public static func read(conll text: String) throws -> [LabeledSentence] {
        var sentences: [LabeledSentence] = []
        var current = LabeledSentence(tokens: [], tags: [])
        // Lines split at the byte, CR dropped: "\r\n" is one character, which a split by characters keeps whole.
        for (number, bytes) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = Substring(bytes)
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty {
                if !current.tokens.isEmpty { sentences.append(current) }
                current = LabeledSentence(tokens: [], tags: [])
                continue
            }
            guard fields.count >= 2, let tag = EntityTagSet.index(of: String(fields[fields.count - 1])) else {
                throw EntityModelError(
                    .malformed, "line \(number + 1): expected 'token TAG' with one of \(EntityTagSet.tags.joined(separator: " ")), got '\(line)'")
            }
            current.tokens.append(fields.dropLast().joined(separator: " "))
            current.tags.append(tag)
        }
        if !current.tokens.isEmpty { sentences.append(current) }
        return sentences
    }

    /// The sentences of a file split into a training part and the last `fraction` as development
    /// part (a fraction outside 0…1 is taken as the nearer end; not a number, as 0).
    public static func split(
        _ sentences: [LabeledSentence], developmentFraction fraction: Double
    ) -> (train: [LabeledSentence], development: [LabeledSentence]) {
        let fraction = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        let cut = sentences.count - Int((Double(sentences.count) * fraction).rounded())
        return (Array(sentences[..<cut]), Array(sentences[cut...]))
    }
}
