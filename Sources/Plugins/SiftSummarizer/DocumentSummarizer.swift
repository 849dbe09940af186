import SiftTextToolkit

/// Summarises one document: the ``ExtractiveSummarizer``'s sentences from the document's content
/// regions, with its title compared with them but never one of them and its named entities'
/// salience as weights, and the ``KeyPhraseExtractor``'s key phrases.
public struct DocumentSummarizer: Sendable {
    /// A document's summary.
    public struct Result: Sendable, Equatable {
        /// The chosen sentences, in document order.
        public var sentences: [ExtractiveSummarizer.Sentence]
        /// The chosen sentences' text, joined by spaces.
        public var text: String
        /// The key phrases, best first.
        public var keyPhrases: [KeyPhraseExtractor.Phrase]
    }

    /// A named entity of the document, as an entity tagger ranked it.
    public struct Entity: Sendable, Equatable {
        /// The entity's name.
        public var name: String
        /// How central it is to the document, 0…1.
        public var salience: Double

        /// Creates an entity.
        public init(name: String, salience: Double) {
            self.name = name
            self.salience = salience
        }
    }

    /// How long the summary is.
    public var length: SummaryLength
    /// The most key phrases listed (0: none).
    public var keyPhrases: Int
    /// What picks the sentences.
    public var summarizer: ExtractiveSummarizer

    /// Creates a summarizer.
    public init(length: SummaryLength, keyPhrases: Int, summarizer: ExtractiveSummarizer = ExtractiveSummarizer()) {
        self.length = length
        self.keyPhrases = keyPhrases
        self.summarizer = summarizer
    }

    /// Summarises `regions` of `text` (its content paragraphs, in order), read as `language`.
    /// - Parameters:
    ///   - title: the document's title; a region that is the title line is left out, and so is
    ///     the title at the start of a region (a headline without a full stop runs into the
    ///     next line).
    ///   - entities: the document's named entities; sentences and phrases naming salient ones score higher.
    /// - Throws: `CancellationError` when the current task is cancelled.
    public func summarize(
        _ text: ScalarText, language: String, regions: [TextSpan], title: String?, entities: [Entity] = []
    ) throws -> Result {
        let scanner = WordScanner()
        let titleWords = title.map { scanner.keys(of: $0) } ?? []
        let titleScalars = Self.trimmed(title)
        let bodyRegions = regions.filter { region in
            titleWords.isEmpty || regions.count < 2 || !scanner.words(of: text.scalars, span: region, haveKeys: titleWords)
        }.map { region in Self.withoutLeadingTitle(region, title: titleScalars, in: text) }
        let document = SummaryDocument(text: text, language: language, regions: bodyRegions, title: title)
        try Task.checkCancellation()
        var entityWeights: [UInt64: Double] = [:]
        for entity in entities {
            for term in document.terms(of: entity.name) { entityWeights[term] = max(entityWeights[term] ?? 0, entity.salience) }
        }
        let sentences = summarizer.summarize(document, length: length, entities: entityWeights)
        try Task.checkCancellation()
        var extractor = KeyPhraseExtractor()
        extractor.maximum = keyPhrases
        extractor.minimum = min(extractor.minimum, keyPhrases)
        let phrases = keyPhrases > 0 ? extractor.phrases(of: document, entities: entityWeights) : []
        return Result(
            sentences: sentences, text: sentences.map { text[$0.span] }.joined(separator: " "), keyPhrases: phrases)
    }

    /// A title's scalars without the white space around them (none without a title).
    static func trimmed(_ title: String?) -> ArraySlice<Unicode.Scalar> {
        let scalars = Array((title ?? "").unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return [] }
        return scalars[first...scalars.lastIndex { !$0.properties.isWhitespace }!]
    }

    /// `region` without `title` and the white space after it, when the region begins with the title
    /// and goes on past it.
    static func withoutLeadingTitle(_ region: TextSpan, title titleScalars: ArraySlice<Unicode.Scalar>, in text: ScalarText) -> TextSpan {
        guard !titleScalars.isEmpty, region.end - region.start > titleScalars.count,
            text.scalars[region.start..<region.start + titleScalars.count].elementsEqual(titleScalars)
        else { return region }
        var start = region.start + titleScalars.count
        guard text.scalars[start].properties.isWhitespace else { return region }
        while start < region.end, text.scalars[start].properties.isWhitespace { start += 1 }
        return start < region.end ? TextSpan(start, region.end) : region
    }
}
