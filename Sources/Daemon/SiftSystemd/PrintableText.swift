/// Text made safe for one log line or status text: a newline or other control character in a
/// file name or a message never splits a line or moves the terminal's cursor.
public enum PrintableText {
    /// `text` with control characters (and backslashes, unless kept) escaped: `\n`, `\t`, `\r`,
    /// `\\`, and `\u{…}` for the others and for the Unicode line and paragraph separators.
    public static func escaping(_ text: String, keepingBackslashes: Bool = false) -> String {
        let escapes = { (scalar: Unicode.Scalar) in (scalar == "\\" && !keepingBackslashes) || needsEscape(scalar) }
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\\": result += keepingBackslashes ? "\\" : "\\\\"
            default:
                if needsEscape(scalar) {
                    result += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
