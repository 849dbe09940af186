import Foundation

/// Normalises text for matching, keeping a map back to the original's offsets.
///
/// For Arabic: diacritics (harakat, tanwin, shadda, sukun, superscript alef) and tatweel are
/// removed; alef forms (أ إ آ ٱ, and alef with a combining hamza) become ا; alef maqsura (ى)
/// becomes ي; taa marbuta (ة) becomes ه when asked. Arabic-Indic and Persian digits become ASCII
/// digits. Presentation forms, full-width forms and odd spaces are folded by their NFKC mapping,
/// one character at a time so that offsets survive. Lower-casing is optional. The original text is never changed: ``NormalizedText/originalSpan(_:)`` maps back.
public struct ArabicNormalizer: Sendable {
    /// What to fold.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let removeDiacritics = Options(rawValue: 1 << 0)
        public static let removeTatweel = Options(rawValue: 1 << 1)
        public static let unifyAlef = Options(rawValue: 1 << 2)
        public static let alefMaqsuraToYa = Options(rawValue: 1 << 3)
        public static let taaMarbutaToHa = Options(rawValue: 1 << 4)
        public static let asciiDigits = Options(rawValue: 1 << 5)
        public static let compatibility = Options(rawValue: 1 << 6)
        public static let lowercase = Options(rawValue: 1 << 7)
        /// Persian and Urdu letter variants (ک ی ے ہ) folded to their Arabic look-alikes.
        public static let unifyPersianLetters = Options(rawValue: 1 << 8)
        /// Hamza seats unified (ئ → ي, ؤ → و) and a lone hamza (ء) dropped: news spells names
        /// both ways (فائز / فايز).
        public static let unifyHamza = Options(rawValue: 1 << 9)

        /// For matching words: everything but taa marbuta and the Persian folding.
        public static let matching: Options = [
            .removeDiacritics, .removeTatweel, .unifyAlef, .alefMaqsuraToYa, .asciiDigits, .compatibility, .lowercase,
        ]
    }

    /// What this normaliser folds.
    public var options: Options {
        didSet { (keeps, singleFolds) = foldTables() }
    }

    /// For each scalar below U+0700 (ASCII to the Arabic block), whether folding leaves it as it
    /// is: a word of such scalars is already normal, and is returned as it is.
    private var keeps: [Bool] = []

    /// For each scalar below U+0700, what folding makes of it when that is one scalar or none:
    /// the scalar's value, ``removedFold``, or ``severalFold`` (left to ``fold(_:_:)``).
    private var singleFolds: [UInt32] = []
    private static let removedFold = UInt32.max
    private static let severalFold = UInt32.max - 1

    /// Creates a normaliser.
    public init(options: Options = .matching) {
        self.options = options
        (keeps, singleFolds) = foldTables()
    }

    private func foldTables() -> (keeps: [Bool], singleFolds: [UInt32]) {
        var keeps: [Bool] = []
        var singleFolds: [UInt32] = []
        keeps.reserveCapacity(0x700)
        singleFolds.reserveCapacity(0x700)
        var folded: [Unicode.Scalar] = []
        for value in UInt32(0)..<0x700 {
            let scalar = Unicode.Scalar(value)!
            folded.removeAll(keepingCapacity: true)
            appendFolded(scalar) { folded.append($0) }
            keeps.append(folded.count == 1 && folded[0] == scalar)
            singleFolds.append(folded.isEmpty ? Self.removedFold : folded.count == 1 ? folded[0].value : Self.severalFold)
        }
        return (keeps, singleFolds)
    }

    /// Normalises `text`.
    public func normalize(_ text: String) -> NormalizedText {
        normalize(ScalarText(text).scalars)
    }

    /// Normalises a word quickly, without keeping offsets.
    public func normalizedString(_ text: some StringProtocol) -> String {
        normalized(text)
    }

    /// ``normalizedString(_:)`` of a string. (A generic function called from another module
    /// runs unspecialised, looking up its type's metadata on every call.)
    public func normalizedString(_ text: String) -> String {
        normalized(text)
    }

    @inline(__always)
    private func normalized(_ text: some StringProtocol) -> String {
        let isNormal = keeps.withUnsafeBufferPointer { keeps in
            text.unicodeScalars.allSatisfy { $0.value < UInt32(keeps.count) && keeps[Int($0.value)] }
        }
        if isNormal { return String(text) }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { fold(scalar, into: &result) }
        return String(scalars: result)
    }

    /// Normalises scalars.
    public func normalize(_ scalars: [Unicode.Scalar]) -> NormalizedText {
        var output: [Unicode.Scalar] = []
        var origins: [Int] = []
        output.reserveCapacity(scalars.count)
        origins.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            appendFolded(scalar) { folded in
                output.append(folded)
                origins.append(index)
            }
        }
        return NormalizedText(scalars: output, origins: origins, originalLength: scalars.count)
    }

    /// Folds one scalar, handing what it becomes (none, one or several scalars) to `append`.
    public func fold(_ scalar: Unicode.Scalar, _ append: (Unicode.Scalar) -> Void) {
        appendFolded(scalar, append)
    }

    /// Folds one scalar onto the end of `output`: looked up below U+0700 (the tests of every
    /// option cost more than the rest of reading a word).
    /// What folding makes of a scalar, when the tables know it is one scalar (`.some(scalar)`)
    /// or none (`.some(nil)`); `nil` when ``fold(_:into:)`` must work it out.
    @inline(__always)
    func tableFold(_ scalar: Unicode.Scalar) -> Unicode.Scalar?? {
        let value = scalar.value
        guard value < 0x700 else { return nil }
        let folded = singleFolds[Int(value)]
        if folded < Self.severalFold { return .some(Unicode.Scalar(folded)) }
        return folded == Self.removedFold ? .some(nil) : nil
    }

    public func fold(_ scalar: Unicode.Scalar, into output: inout [Unicode.Scalar]) {
        let value = scalar.value
        if value < 0x700 {
            let folded = singleFolds[Int(value)]
            if folded < Self.severalFold {
                output.append(Unicode.Scalar(folded)!)
                return
            }
            if folded == Self.removedFold { return }
        }
        appendFolded(scalar) { output.append($0) }
    }

    private func appendFolded(_ scalar: Unicode.Scalar, _ append: (Unicode.Scalar) -> Void) {
        let value = scalar.value
        if options.contains(.removeDiacritics), Self.isArabicDiacritic(value) { return }
        if options.contains(.removeTatweel), value == 0x0640 { return }
        if options.contains(.compatibility), Self.needsCompatibilityFolding(value) {
            for folded in String(Character(scalar)).decomposedCompatibility.unicodeScalars {
                appendLetter(folded, append)
            }
            return
        }
        appendLetter(scalar, append)
    }

    private func appendLetter(_ scalar: Unicode.Scalar, _ append: (Unicode.Scalar) -> Void) {
        let value = scalar.value
        // ASCII: nothing to fold but case (no Unicode property look-up).
        if value < 0x80 {
            if options.contains(.lowercase), value >= 0x41, value <= 0x5A {
                append(Unicode.Scalar(UInt8(value + 0x20)))
            } else {
                append(scalar)
            }
            return
        }
        if options.contains(.removeDiacritics), Self.isArabicDiacritic(value) { return }
        if options.contains(.unifyAlef), value == 0x0623 || value == 0x0625 || value == 0x0622 || (0x0671...0x0673).contains(value) {
            append("\u{0627}")
        } else if options.contains(.unifyHamza), value == 0x0626 {
            append("\u{064A}")
        } else if options.contains(.unifyHamza), value == 0x0624 {
            append("\u{0648}")
        } else if options.contains(.unifyHamza), value == 0x0621 {
            return
        } else if options.contains(.alefMaqsuraToYa), value == 0x0649 {
            append("\u{064A}")
        } else if options.contains(.taaMarbutaToHa), value == 0x0629 {
            append("\u{0647}")
        } else if options.contains(.asciiDigits), (0x0660...0x0669).contains(value) {
            append(Unicode.Scalar(value - 0x0660 + 0x30)!)
        } else if options.contains(.asciiDigits), (0x06F0...0x06F9).contains(value) {
            append(Unicode.Scalar(value - 0x06F0 + 0x30)!)
        } else if options.contains(.unifyPersianLetters), value == 0x06A9 {
            append("\u{0643}")  // ک → ك
        } else if options.contains(.unifyPersianLetters), value == 0x06CC || value == 0x06D2 {
            append("\u{064A}")  // ی ے → ي
        } else if options.contains(.unifyPersianLetters), value == 0x06C1 {
            append("\u{0647}")  // ہ → ه
        } else if (0x0600...0x06FF).contains(value) {
            append(scalar)  // Arabic letters have no case
        } else if options.contains(.lowercase), scalar.properties.changesWhenLowercased {
            for lowered in scalar.properties.lowercaseMapping.unicodeScalars { append(lowered) }
        } else {
            append(scalar)
        }
    }

    /// Harakat, tanwin, shadda, sukun, Quranic marks and the superscript alef.
    static func isArabicDiacritic(_ value: UInt32) -> Bool {
        (0x064B...0x065F).contains(value) || value == 0x0670 || (0x0610...0x061A).contains(value)
            || (0x06D6...0x06DC).contains(value) || (0x06DF...0x06E4).contains(value) || (0x06E7...0x06E8).contains(value)
            || (0x06EA...0x06ED).contains(value) || (0x08D3...0x08FF).contains(value)
    }

    /// Arabic presentation forms, full-width and other compatibility characters.
    static func needsCompatibilityFolding(_ value: UInt32) -> Bool {
        (0xFB50...0xFDFF).contains(value) || (0xFE70...0xFEFF).contains(value) || (0xFF01...0xFF5E).contains(value)
            || (0xFB00...0xFB06).contains(value) || value == 0x00A0 || (0x2000...0x200A).contains(value)
    }
}

/// Normalised text with, for every scalar, the offset of the original scalar it came from.
public struct NormalizedText: Sendable {
    /// The normalised scalars.
    public let scalars: [Unicode.Scalar]
    /// For each normalised scalar, the offset of its original scalar.
    public let origins: [Int]
    /// How many scalars the original had.
    public let originalLength: Int

    /// The normalised text.
    public var text: String { String(scalars: scalars) }

    /// The original span a span of the normalised text came from.
    public func originalSpan(_ span: TextSpan) -> TextSpan {
        guard span.length > 0, span.start < origins.count else {
            let position = span.start < origins.count ? origins[span.start] : originalLength
            return TextSpan(position, position)
        }
        let start = origins[span.start]
        let end = span.end < origins.count ? origins[span.end] : originalLength
        return TextSpan(start, max(end, origins[span.end - 1] + 1))
    }
}

extension String {
    /// The NFKC form of one character: presentation forms to base letters, full-width to ASCII.
    var decomposedCompatibility: String {
        precomposedStringWithCompatibilityMapping
    }
}
