/// One document as it travels through the pipeline.
///
/// A plugin receives the document with the annotations of every stage before it and
/// returns its own; it never mutates the document.
public struct Document: Sendable {
    /// A unique identifier given when siftd claimed the input; stable across re-processing.
    public var id: String
    /// The input file's name, as it was dropped into the inbox.
    public var name: String
    /// The title found by ingestion (HTML `<title>`, a JSON `title`), if any.
    public var title: String?
    /// The extracted text, as Unicode; offsets in annotations count Unicode scalars into it.
    public var text: String
    /// The input format: `text`, `markdown`, `html` or `json`.
    public var format: String
    /// Further metadata found by ingestion, such as `url` and `published`.
    public var metadata: [String: String]
    /// What the stages that ran before provided, keyed by capability: one member per capability,
    /// its value whatever the providing plugin returned for it (as in a result's `annotations`).
    public var annotations: [String: JSONValue]
    /// The stage that provided each capability so far.
    public var providers: [String: String]

    /// Creates a document.
    public init(
        id: String,
        name: String,
        title: String? = nil,
        text: String,
        format: String,
        metadata: [String: String] = [:],
        annotations: [String: JSONValue] = [:],
        providers: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.title = title
        self.text = text
        self.format = format
        self.metadata = metadata
        self.annotations = annotations
        self.providers = providers
    }

    /// The value an earlier stage provided for `capability`, e.g. `value(for: "language")`.
    public func value(for capability: String) -> JSONValue? {
        annotations[capability]
    }
}
