import SiftTextToolkit

/// A document as the summariser reads it: its sentences (within the given regions, so that
/// boilerplate left out of them never enters a summary), and each sentence's words and content
/// terms (function words dropped, words cut to light stems).
public struct SummaryDocument: Sendable {
    /// The text.
    public let text: ScalarText
    /// The language code the terms were read with.
    public let language: String
    /// The sentences, in order.
    public let sentences: [TextSpan]
    /// The number of words of each sentence.
    public let wordCounts: [Int]
    /// Per sentence, the content terms in order (keys of light stems).
    let terms: [[UInt64]]
    /// Per sentence, the scalar ranges of its words, with whether each is a content word.
    let words: [[(span: TextSpan, content: Bool)]]
    /// The title's content terms.
    let titleTerms: [UInt64]

    /// Reads a text; `regions` (default: all of it) bound the sentences, `title` is compared with them.
    public init(text: ScalarText, language: String, regions: [TextSpan]? = nil, title: String? = nil) {
        self.text = text
        self.language = language
        let bounds = (regions ?? [TextSpan(0, text.scalars.count)]).sorted { $0.start < $1.start }
        var sentences: [TextSpan] = []
        // Sentences come in order: the regions wholly before one are before every later one too,
        // so each region is passed once (not once per sentence).
        var firstRegion = 0
        for sentence in SentenceSplitter().split(text) {
            while firstRegion < bounds.count, bounds[firstRegion].end <= sentence.start { firstRegion += 1 }
            for region in bounds[firstRegion...] {
                guard region.start < sentence.end else { break }
                guard sentence.start < region.end else { continue }
                let clipped = TextSpan(max(region.start, sentence.start), min(region.end, sentence.end))
                if text.scalars[clipped.start..<clipped.end].contains(where: Tokenizer.isWordScalar) { sentences.append(clipped) }
            }
        }
        self.sentences = sentences
        let reader = TermReader(language: language)
        var terms: [[UInt64]] = []
        var words: [[(span: TextSpan, content: Bool)]] = []
        for sentence in sentences {
            let read = reader.read(text.scalars, span: sentence)
            terms.append(read.terms)
            words.append(read.words)
        }
        self.terms = terms
        self.words = words
        wordCounts = words.map(\.count)
        if let title {
            let scalars = Array(title.unicodeScalars)
            titleTerms = reader.read(scalars, span: TextSpan(0, scalars.count)).terms
        } else {
            titleTerms = []
        }
    }

    /// The content terms of a name or phrase, as the document's are read (to weigh entities).
    public func terms(of phrase: String) -> [UInt64] {
        let scalars = Array(phrase.unicodeScalars)
        return TermReader(language: language).read(scalars, span: TextSpan(0, scalars.count)).terms
    }
}

/// Words to terms: folded words, function words dropped, light stems, as keys.
struct TermReader {
    let language: String
    let stemmer: LightStemmer
    let scanner = WordScanner()

    init(language: String) {
        self.language = language
        stemmer = LightStemmer(language: language)
    }

    func read(_ scalars: [Unicode.Scalar], span: TextSpan) -> (terms: [UInt64], words: [(span: TextSpan, content: Bool)]) {
        var terms: [UInt64] = []
        var words: [(span: TextSpan, content: Bool)] = []
        // Word boundaries in the original text, for the key phrases' surface forms.
        scanner.forEachRun(in: scalars, span: span) { run, word in
            // Numbers (digits are folded to ASCII) and single letters carry no topic.
            var content = false
            if word.count > 1 {
                let key = StopWords.key(word)
                if !StopWords.contains(key, language: language), !word.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) {
                    content = true
                    terms.append(StopWords.key(stemmer.stem(word)))
                }
            }
            words.append((run, content))
            return true
        }
        return (terms, words)
    }
}
