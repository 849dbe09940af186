/// The writing systems siftd tells apart when it counts letters.
public enum UnicodeScript: String, CaseIterable, Sendable {
    case latin = "Latin"
    case arabic = "Arabic"
    case cyrillic = "Cyrillic"
    case greek = "Greek"
    case hebrew = "Hebrew"
    case armenian = "Armenian"
    case georgian = "Georgian"
    case syriac = "Syriac"
    case thaana = "Thaana"
    case devanagari = "Devanagari"
    case bengali = "Bengali"
    case gurmukhi = "Gurmukhi"
    case gujarati = "Gujarati"
    case oriya = "Oriya"
    case tamil = "Tamil"
    case telugu = "Telugu"
    case kannada = "Kannada"
    case malayalam = "Malayalam"
    case sinhala = "Sinhala"
    case thai = "Thai"
    case lao = "Lao"
    case tibetan = "Tibetan"
    case myanmar = "Myanmar"
    case ethiopic = "Ethiopic"
    case khmer = "Khmer"
    case hangul = "Hangul"
    case hiragana = "Hiragana"
    case katakana = "Katakana"
    case han = "Han"
    case other = "Other"

    private static let ranges: [(ClosedRange<UInt32>, UnicodeScript)] = [
        (0x0041...0x005A, .latin), (0x0061...0x007A, .latin), (0x00C0...0x024F, .latin),
        (0x0250...0x02AF, .latin), (0x1E00...0x1EFF, .latin), (0x2C60...0x2C7F, .latin),
        (0xA720...0xA7FF, .latin), (0xFF21...0xFF3A, .latin), (0xFF41...0xFF5A, .latin),
        (0x0370...0x03FF, .greek), (0x1F00...0x1FFF, .greek),
        (0x0400...0x052F, .cyrillic), (0x1C80...0x1C8F, .cyrillic), (0x2DE0...0x2DFF, .cyrillic),
        (0xA640...0xA69F, .cyrillic),
        (0x0530...0x058F, .armenian),
        (0x0590...0x05FF, .hebrew), (0xFB1D...0xFB4F, .hebrew),
        (0x0600...0x06FF, .arabic), (0x0750...0x077F, .arabic), (0x0870...0x08FF, .arabic),
        (0xFB50...0xFDFF, .arabic), (0xFE70...0xFEFF, .arabic),
        (0x0700...0x074F, .syriac), (0x0780...0x07BF, .thaana),
        (0x0900...0x097F, .devanagari), (0x0980...0x09FF, .bengali), (0x0A00...0x0A7F, .gurmukhi),
        (0x0A80...0x0AFF, .gujarati), (0x0B00...0x0B7F, .oriya), (0x0B80...0x0BFF, .tamil),
        (0x0C00...0x0C7F, .telugu), (0x0C80...0x0CFF, .kannada), (0x0D00...0x0D7F, .malayalam),
        (0x0D80...0x0DFF, .sinhala), (0x0E00...0x0E7F, .thai), (0x0E80...0x0EFF, .lao),
        (0x0F00...0x0FFF, .tibetan), (0x1000...0x109F, .myanmar), (0x10A0...0x10FF, .georgian),
        (0x2D00...0x2D2F, .georgian), (0x1100...0x11FF, .hangul), (0x3130...0x318F, .hangul),
        (0xAC00...0xD7AF, .hangul), (0x1200...0x139F, .ethiopic), (0x1780...0x17FF, .khmer),
        (0x3040...0x309F, .hiragana), (0x30A0...0x30FF, .katakana), (0x31F0...0x31FF, .katakana),
        (0x3400...0x4DBF, .han), (0x4E00...0x9FFF, .han), (0xF900...0xFAFF, .han),
        (0x20000...0x2FA1F, .han),
    ]

    /// The script of a letter; `nil` for scalars that are not letters.
    public init?(letter scalar: Unicode.Scalar) {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            break
        default:
            return nil
        }
        let value = scalar.value
        if value < 0x80 {
            self = .latin
            return
        }
        for (range, script) in Self.ranges where range.contains(value) {
            self = script
            return
        }
        self = .other
    }
}
