import SiftTextToolkit

/// A text cut into sentences of tokens, as the tagger reads it: the toolkit's sentence
/// splitter and tokenizer over the given regions (paragraphs), offsets into the whole text.
public struct TokenizedDocument: Sendable {
    /// The sentences, each a list of tokens with spans into the text.
    public var sentences: [[Token]]

    /// Splits `regions` of `text` (the whole text when empty).
    public init(_ text: ScalarText, regions: [TextSpan] = []) {
        sentences = []
        for region in regions.isEmpty ? [TextSpan(0, text.scalars.count)] : regions {
            let paragraph = ScalarText(scalars: text.scalars[region.start..<region.end])
            let tokens = Tokenizer().tokenize(paragraph)
            var next = 0
            for sentence in SentenceSplitter().split(paragraph) {
                var current: [Token] = []
                while next < tokens.count, tokens[next].span.start < sentence.end {
                    if tokens[next].span.start >= sentence.start {
                        var token = tokens[next]
                        token.span = TextSpan(token.span.start + region.start, token.span.end + region.start)
                        current.append(token)
                    }
                    next += 1
                }
                if !current.isEmpty { sentences.append(current) }
            }
        }
    }

    /// The tokens' texts, sentence by sentence.
    public var words: [[String]] { sentences.map { $0.map(\.text) } }
}
