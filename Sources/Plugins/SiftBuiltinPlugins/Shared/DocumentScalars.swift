import SiftPluginAPI
import SiftTextToolkit
import Synchronization

/// A document's text as Unicode scalars (what annotation offsets count), decoded once for all
/// the built-in stages it goes through rather than once per stage.
///
/// Keeps the last few texts of at most ``largestText`` bytes (the stages of one document run
/// one after another; a few workers interleave): at most ``capacity`` × ``largestText`` × 4
/// bytes, 4 MB. A text is found again by its document's id, then compared with the one kept:
/// immediate for the same string passed along, exact for any other.
enum DocumentScalars {
    /// How many texts are kept.
    static let capacity = 4
    /// The longest text kept, in UTF-8 bytes: longer ones are decoded by each stage.
    static let largestText = 256 * 1024

    private static let recent = Mutex<[(id: String, text: String, scalars: ScalarText)]>([])

    /// The scalars of `document`'s text.
    static func of(_ document: Document) -> ScalarText {
        let text = document.text
        guard text.utf8.count <= largestText else { return ScalarText(text) }
        if let known = recent.withLock({ recent in recent.first { $0.id == document.id && $0.text == text }?.scalars }) { return known }
        let scalars = ScalarText(text)
        recent.withLock { recent in
            if recent.count >= capacity { recent.removeFirst() }
            recent.append((document.id, text, scalars))
        }
        return scalars
    }
}
