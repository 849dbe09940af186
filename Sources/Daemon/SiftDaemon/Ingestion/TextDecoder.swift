/// Turns an input's bytes into text, detecting the encoding.
///
/// Supported: UTF-8 with or without a byte-order mark, UTF-16 LE/BE with a byte-order mark,
/// the legacy Arabic code pages Windows-1256 and ISO-8859-6 when the text reads as Arabic, and
/// Latin-1 / Windows-1252 when it reads as Latin-script text. Anything else, and anything that
/// could be either, is an error, never mojibake.
public enum TextDecoder {
    /// Decoded text and the name of the encoding it was in.
    public struct DecodedText: Sendable, Equatable {
        /// The text, without a byte-order mark.
        public var text: String
        /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `windows-1256`, `iso-8859-6`, `windows-1252` or `iso-8859-1`.
        public var encoding: String
    }

    /// Decodes `bytes`.
    /// - Throws: ``SiftError`` `.invalidEncoding` for invalid or unrecognised text,
    ///   `.unsupportedFormat` for binary content.
    public static func decode(_ bytes: [UInt8]) throws -> DecodedText {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = strictUTF8(bytes.dropFirst(3)) else {
                throw SiftError(
                    .invalidEncoding, "invalid UTF-8 after a UTF-8 byte-order mark at byte offset \(firstInvalidUTF8Offset(bytes.dropFirst(3)) + 3)")
            }
            return try checked(DecodedText(text: text, encoding: "utf-8-bom"))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let littleEndian = bytes[0] == 0xFF
            let name = littleEndian ? "utf-16le" : "utf-16be"
            guard let text = strictUTF16(bytes.dropFirst(2), littleEndian: littleEndian) else {
                throw SiftError(.invalidEncoding, "invalid \(name.uppercased()) text (odd length or unpaired surrogate)")
            }
            return try checked(DecodedText(text: text, encoding: name))
        }
        if let kind = BinarySignature.detect(bytes) {
            throw SiftError(.unsupportedFormat, "binary content (\(kind)), not text")
        }
        if bytes.contains(0) {
            throw SiftError(.unsupportedFormat, "binary content: NUL bytes are not text (UTF-16 needs a byte-order mark)")
        }
        if let text = strictUTF8(bytes[...]) {
            return try checked(DecodedText(text: text, encoding: "utf-8"))
        }
        let arabic = legacyArabic(bytes)
        let latin = legacyLatin(bytes)
        switch (arabic, latin) {
        case (let arabic?, nil): return try checked(arabic)
        case (nil, let latin?): return try checked(latin)
        case (.some, .some):
            throw SiftError(
                .invalidEncoding,
                "invalid UTF-8 at byte offset \(firstInvalidUTF8Offset(bytes[...])), and it reads as Arabic (Windows-1256) as well as Latin-script text (Windows-1252): save it as UTF-8"
            )
        case (nil, nil):
            throw SiftError(
                .invalidEncoding,
                "invalid UTF-8 at byte offset \(firstInvalidUTF8Offset(bytes[...])), and not Arabic text in Windows-1256 or ISO-8859-6 nor Latin-script text in Windows-1252 or ISO-8859-1"
            )
        }
    }

    /// The standard library's validation: many times faster than decoding scalar by scalar, so a
    /// file at the size limit is read in milliseconds and needs no cancellation check.
    private static func strictUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// Decodes code units, failing on the first invalid sequence instead of repairing it.
    private static func decodeStrictly<Codec: UnicodeCodec>(_ units: some Sequence<Codec.CodeUnit>, as codec: Codec.Type) -> String? {
        var iterator = units.makeIterator()
        var decoder = Codec()
        var scalars = String.UnicodeScalarView()
        var count = 0
        while true {
            count &+= 1
            // A cancelled read (its time limit passed) stops here; the caller reports the timeout.
            if count & 0xFFFF == 0, Task.isCancelled { return nil }
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: return String(scalars)
            case .error: return nil
            }
        }
    }

    private static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int {
        var offset = 0
        var remaining = bytes
        while !remaining.isEmpty {
            var iterator = remaining.makeIterator()
            var decoder = UTF8()
            guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return offset }
            let width = UTF8.width(scalar)
            offset += width
            remaining = remaining.dropFirst(width)
        }
        return offset
    }

    private static func strictUTF16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            units.append(littleEndian ? first | second << 8 : first << 8 | second)
            index += 2
        }
        return decodeStrictly(units, as: UTF16.self)
    }

    /// Picks the legacy Arabic code page under which the text reads as Arabic: most high bytes are
    /// Arabic characters and most letters are Arabic. `nil` if neither code page reads so.
    private static func legacyArabic(_ bytes: [UInt8]) -> DecodedText? {
        let highBytes = bytes.filter { $0 >= 0x80 }.count
        var best: (DecodedText, Double)?
        for codePage in LegacyArabicCodePage.allCases {
            guard let text = codePage.decode(bytes) else { continue }
            var arabic = 0
            var arabicLetters = 0
            var letters = 0
            for scalar in text.unicodeScalars {
                let isArabic = (0x0600...0x06FF).contains(scalar.value)
                if isArabic { arabic += 1 }
                if scalar.properties.isAlphabetic {
                    letters += 1
                    if isArabic { arabicLetters += 1 }
                }
            }
            let share = Double(arabic) / Double(max(highBytes, 1))
            guard share >= 0.75, Double(arabicLetters) >= 0.5 * Double(letters) else { continue }
            if share > (best?.1 ?? 0) {
                best = (DecodedText(text: text, encoding: codePage.rawValue), share)
            }
        }
        return best?.0
    }

    /// Decodes Latin-1 / Windows-1252 when the text reads as Latin-script text: nearly all upper-half
    /// characters are letters or common punctuation, accented letters are a minority beside plain
    /// ASCII ones, and they stand inside words with plain letters (`président`) or alone as the
    /// one-letter words Romance languages have (`à`). `nil` otherwise.
    private static func legacyLatin(_ bytes: [UInt8]) -> DecodedText? {
        guard let text = LegacyLatinCodePage.decode(bytes) else { return nil }
        var asciiLetters = 0
        var accented = 0
        var upperHalf = 0
        var otherUpperHalf = 0
        var accentedWords = 0
        var strayWords = 0
        var word = (letters: 0, ascii: 0, accented: 0, first: Unicode.Scalar(UInt8(0)))
        func endWord() {
            if word.accented > 0 {
                accentedWords += 1
                let loneWord = word.letters == 1 && LegacyLatinCodePage.oneLetterWords.contains(word.first)
                if word.ascii == 0, !loneWord { strayWords += 1 }
            }
            word = (0, 0, 0, Unicode.Scalar(UInt8(0)))
        }
        for scalar in text.unicodeScalars {
            let isLetter = scalar.properties.isAlphabetic
            if isLetter {
                if word.letters == 0 { word.first = scalar }
                word.letters += 1
            } else {
                endWord()
            }
            if scalar.isASCII {
                if isLetter {
                    asciiLetters += 1
                    word.ascii += 1
                }
                continue
            }
            upperHalf += 1
            if isLetter {
                accented += 1
                word.accented += 1
            } else if !LegacyLatinCodePage.commonPunctuation.contains(scalar) {
                otherUpperHalf += 1
            }
        }
        endWord()
        guard upperHalf > 0, otherUpperHalf * 10 <= upperHalf, accented * 10 <= 4 * (asciiLetters + accented),
            strayWords * 20 <= accentedWords
        else {
            return nil
        }
        let usesC1 = bytes.contains { (0x80...0x9F).contains($0) }
        return DecodedText(text: text, encoding: usesC1 ? "windows-1252" : "iso-8859-1")
    }

    /// Rejects decoded text that is mostly control characters: binary that happened to decode.
    private static func checked(_ decoded: DecodedText) throws -> DecodedText {
        var controls = 0
        var total = 0
        for scalar in decoded.text.unicodeScalars {
            total += 1
            if scalar == "\0" {
                throw SiftError(.unsupportedFormat, "binary content: NUL characters are not text")
            }
            // The control characters (Cc) are exactly U+0000–001F and U+007F–009F.
            let value = scalar.value
            if value < 0x20 || (0x7F...0x9F).contains(value), !["\n", "\r", "\t", "\u{0C}"].contains(scalar) {
                controls += 1
            }
        }
        if controls > 0, Double(controls) > Double(total) * 0.01 {
            throw SiftError(.unsupportedFormat, "binary content: \(controls) control characters in \(total)")
        }
        return decoded
    }
}

/// Magic numbers of common binary formats, so that a failure says what the file was.
enum BinarySignature {
    private static let signatures: [([UInt8], String)] = [
        ([0x25, 0x50, 0x44, 0x46, 0x2D], "PDF"),
        ([0x89, 0x50, 0x4E, 0x47], "PNG image"),
        ([0xFF, 0xD8, 0xFF], "JPEG image"),
        ([0x47, 0x49, 0x46, 0x38], "GIF image"),
        ([0x50, 0x4B, 0x03, 0x04], "ZIP archive or office document"),
        ([0x1F, 0x8B], "gzip archive"),
        ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"),
        ([0x42, 0x5A, 0x68], "bzip2 archive"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz archive"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd archive"),
        ([0xD0, 0xCF, 0x11, 0xE0], "legacy office document"),
        ([0x52, 0x61, 0x72, 0x21], "RAR archive"),
        ([0x37, 0x7A, 0xBC, 0xAF], "7z archive"),
    ]

    static func detect(_ bytes: [UInt8]) -> String? {
        signatures.first { bytes.starts(with: $0.0) }?.1
    }
}
