import SiftPluginAPI
import SiftTextToolkit

extension Document {
    /// The language code the `language` stage found (`und` when there was none).
    var languageCode: String {
        value(for: "language")?["code"]?.stringValue ?? "und"
    }

    /// The paragraphs the `language` stage left for later plugins (`content.paragraphs`:
    /// boilerplate left out), as spans of `text`; entries out of its bounds are ignored.
    func contentParagraphs(in text: ScalarText) -> [TextSpan] {
        (value(for: "content")?["paragraphs"]?.arrayValue ?? []).compactMap { paragraph -> TextSpan? in
            guard let start = paragraph["start"]?.intValue, let end = paragraph["end"]?.intValue, start <= end, end <= text.scalars.count else {
                return nil
            }
            return TextSpan(start, end)
        }
    }

    /// What a plugin reads of the text: the content paragraphs, or all of it when the
    /// `language` stage left none.
    func contentRegions(in text: ScalarText) -> [TextSpan] {
        let paragraphs = contentParagraphs(in: text)
        return paragraphs.isEmpty ? [TextSpan(0, text.scalars.count)] : paragraphs
    }
}
