/// Windows-1252, the superset of ISO-8859-1 (Latin-1) that Western text in a legacy code page is
/// almost always in: bytes 0xA0...0xFF are the same in both, 0x80...0x9F are printable in 1252.
enum LegacyLatinCodePage {
    /// Bytes 0x80...0x9F in Windows-1252 (0 = undefined), from Python's `cp1252` codec.
    private static let c1Table: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Non-letters of the upper half that running text uses: quotation marks, dashes, currency, degrees.
    static let commonPunctuation: Set<Unicode.Scalar> = [
        "\u{A0}", "«", "»", "‘", "’", "‚", "“", "”", "„", "‹", "›", "–", "—", "…", "€", "£", "¥", "¢", "°", "©", "®",
        "™", "•", "·", "¡", "¿", "§", "¶", "±", "×", "÷", "²", "³", "¹", "¼", "½", "¾", "´", "¨", "\u{AD}", "†", "‡",
        "‰", "¤", "¦", "¬", "¯", "¸", "ˆ", "˜",
    ]

    /// Accented letters that are words by themselves (French, Italian, Spanish, Portuguese).
    static let oneLetterWords: Set<Unicode.Scalar> = ["à", "è", "é", "ò", "ó", "ù", "á", "í", "ú", "À", "É", "È"]

    /// Decodes `bytes`; `nil` if a byte is undefined in Windows-1252.
    static func decode(_ bytes: some Collection<UInt8>) -> String? {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? c1Table[Int(byte) - 0x80] : UInt32(byte)
            guard value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
