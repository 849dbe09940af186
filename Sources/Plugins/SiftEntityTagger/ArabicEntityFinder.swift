import SiftTextToolkit

/// Runs the trained tagger over a document: sentences of the given regions, tokenised by the
/// text toolkit, tagged as one document; each tagged name becomes a mention with its offsets,
/// canonical form and confidence.
public struct ArabicEntityFinder: Sendable {
    /// The trained tagger.
    public let model: EntityModel
    static let sentencesPerPart = 500

    /// Creates a finder that tags with `model`.
    public init(model: EntityModel) {
        self.model = model
    }

    /// The names in `regions` of `text` (the whole text when empty), in text order.
    /// - Throws: `CancellationError` when the current task is cancelled between parts of the text.
    public func mentions(in text: ScalarText, regions: [TextSpan]) throws -> [EntityMention] {
        let sentences = TokenizedDocument(text, regions: regions).sentences
        // Tagged in parts of at most `sentencesPerPart` sentences (a whole article of ordinary
        // length is one part), so that a huge document stops soon after its stage is cancelled.
        var tagged: [[(tag: Int, margin: Float)]] = []
        tagged.reserveCapacity(sentences.count)
        // The document's words, folded, by hash: a Set of Arabic strings would hash each through
        // Unicode normalisation (and a Set of the hashes would hash them again).
        var knownWords = HashKeyedMap<Bool>(capacity: 1024)
        for start in stride(from: 0, to: sentences.count, by: Self.sentencesPerPart) {
            try Task.checkCancellation()
            let part = sentences[start..<min(start + Self.sentencesPerPart, sentences.count)]
            tagged += model.tagWithMargins(document: part.map { $0.map(\.text) }) { knownWords[$0] = true }
        }
        try Task.checkCancellation()
        let documentWords = knownWords
        let canonicalizer = EntityCanonicalizer { word in model.features.knows(word) || documentWords[EntityLexicon.wordHash(word)] != nil }
        var mentions: [EntityMention] = []
        for (tokens, tags) in zip(sentences, tagged) {
            for entity in EntityEvaluation.entities(tags.map(\.tag)) {
                let words = tokens[entity.range].map(\.text)
                let span = TextSpan(tokens[entity.range.lowerBound].span.start, tokens[entity.range.upperBound - 1].span.end)
                let confidence = model.confidence(ofMargins: tags[entity.range].map(\.margin))
                mentions.append(
                    EntityMention(
                        text: text[span], type: entity.type, span: span, canonical: canonicalizer.canonical(words), confidence: confidence))
            }
        }
        return mentions
    }
}
