import SiftTextToolkit

/// Identifies the language of a document and of each of its paragraphs, and tells whether the
/// document mixes languages.
///
/// The document is judged on its paragraphs' text (boilerplate left out), each paragraph on its
/// own first ``paragraphWords`` words. A document is mixed when its paragraphs are reliably in
/// more than one language; a paragraph is reliable when at least ``minimumParagraphWords`` words
/// were read and its confidence is at least ``paragraphConfidence``.
public struct DocumentLanguageDetector: Sendable {
    /// One paragraph's language.
    public struct Paragraph: Sendable, Equatable {
        /// Where the paragraph is in the document's text.
        public var span: TextSpan
        /// ISO 639-1 code; `und` below the minimum confidence.
        public var code: String
        /// The confidence in the paragraph's best language (given also when `code` is `und`).
        public var confidence: Double
    }

    /// The verdict on a document.
    public struct Result: Sendable, Equatable {
        /// ISO 639-1 code; `und` below the minimum confidence.
        public var code: String
        /// The confidence in `code` (0 for `und`).
        public var confidence: Double
        /// The best candidates for the whole document.
        public var candidates: [LanguageDetector.Candidate]
        /// Whether paragraphs in more than one language were found.
        public var mixed: Bool
        /// Every paragraph's language, in document order.
        public var paragraphs: [Paragraph]
    }

    /// Paragraphs shorter than this many words do not make a document mixed.
    public static let minimumParagraphWords = 6
    /// Nor do paragraphs judged with less confidence.
    public static let paragraphConfidence = 0.95
    /// The words read of each paragraph: its first hundreds say enough.
    public static let paragraphWords = 200

    /// Below this confidence a language is reported as `und`.
    public let minimumConfidence: Double
    private let documentDetector: LanguageDetector
    private let paragraphDetector: LanguageDetector

    /// Creates a detector with `model` that reads at most `maximumWords` words of a document.
    public init(model: LanguageModel, minimumConfidence: Double, maximumWords: Int) {
        // The document's evidence is its paragraphs' sum: the document detector reads nothing
        // itself, so it keeps no words.
        documentDetector = LanguageDetector(model: model, maximumWords: maximumWords, wordCacheCapacity: 0)
        paragraphDetector = LanguageDetector(model: model, maximumWords: Self.paragraphWords)
        self.minimumConfidence = minimumConfidence
    }

    /// The languages of a document, from its ``DocumentContent``.
    /// - Throws: `CancellationError` when the current task is cancelled between paragraphs.
    public func detect(_ content: DocumentContent) throws -> Result {
        // One reading per paragraph gives both verdicts: the paragraph's, on its first
        // ``paragraphWords`` words, and its share of the document's first words (the document's
        // evidence is the sum of its paragraphs').
        var document = documentDetector.noEvidence
        var paragraphs: [Paragraph] = []
        var reliableCodes: Set<String> = []
        for paragraph in content.paragraphs {
            try Task.checkCancellation()
            let remaining = documentDetector.maximumWords.map { max($0 - document.words, 0) }
            let evidence = paragraphDetector.evidence(of: paragraph.text, upTo: [Self.paragraphWords, remaining])
            document.add(evidence[1])
            let paragraphGuess = paragraphDetector.guess(from: evidence[0])
            if paragraphGuess.wordsRead >= Self.minimumParagraphWords && paragraphGuess.confidence >= Self.paragraphConfidence {
                reliableCodes.insert(paragraphGuess.code)
            }
            paragraphs.append(
                Paragraph(
                    span: paragraph.span, code: paragraphGuess.confidence >= minimumConfidence ? paragraphGuess.code : "und",
                    confidence: paragraphGuess.confidence))
        }
        let guess = documentDetector.guess(from: document)
        let code = guess.confidence >= minimumConfidence ? guess.code : "und"
        return Result(
            code: code, confidence: code == "und" ? 0 : guess.confidence, candidates: guess.candidates,
            mixed: reliableCodes.count > 1, paragraphs: paragraphs)
    }
}
