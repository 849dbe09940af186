import SiftPluginAPI
import SiftTextToolkit

extension Document {
    /// The language code the `language` stage found (`und` when there was none).
    var languageCode: String {
        value(for: "language")?["code"]?.stringValue ?? "und"
    }

    /// What a plugin reads of the text: the paragraphs the `language` stage left for later plugins
    /// (`content.paragraphs`: boilerplate left out), or all of it when it left none
    /// (``DocumentContent/readingRegions(paragraphs:in:)``).
    func contentRegions(in text: ScalarText) -> [TextSpan] {
        let paragraphs = (value(for: "content")?["paragraphs"]?.arrayValue ?? []).compactMap { paragraph -> TextSpan? in
            guard let start = paragraph["start"]?.intValue, let end = paragraph["end"]?.intValue else { return nil }
            return TextSpan(start, end)
        }
        return DocumentContent.readingRegions(paragraphs: paragraphs, in: text)
    }
}
