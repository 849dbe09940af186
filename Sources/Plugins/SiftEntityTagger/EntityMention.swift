import SiftTextToolkit

/// One mention of a named entity in a text.
public struct EntityMention: Sendable, Equatable {
    /// The text as written.
    public var text: String
    /// `PERS`, `LOC`, `ORG` or `MISC`.
    public var type: String
    /// Unicode scalar offsets into the document's text.
    public var span: TextSpan
    /// The name without proclitics (`لليبيا` → `ليبيا`), as written otherwise.
    public var canonical: String
    /// How sure the tagger is, 0…1.
    public var confidence: Double
    /// The index of the entity it belongs to (``EntityResolver/Entity``), once resolved.
    public var entity: Int?

    /// Creates a mention.
    public init(text: String, type: String, span: TextSpan, canonical: String, confidence: Double, entity: Int? = nil) {
        self.text = text
        self.type = type
        self.span = span
        self.canonical = canonical
        self.confidence = confidence
        self.entity = entity
    }
}
