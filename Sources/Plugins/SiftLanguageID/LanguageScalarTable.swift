import Foundation

/// How the language model reads each character: as a word boundary, as nothing (a mark inside a
/// word), or as a letter folded for matching (lower case, compatibility forms, Arabic diacritics
/// and tatweel dropped). Alef forms, ی, ک, ے and ہ are kept apart: they are what tells Arabic,
/// Persian and Urdu apart.
///
/// The table for the Basic Multilingual Plane is built once, when a model is trained, and stored
/// in the model, so that training and detection fold text identically and detection never asks
/// Unicode for a property.
public struct LanguageScalarTable: Sendable, Equatable {
    /// A word boundary.
    static let boundary: UInt32 = 0
    /// Ignored inside a word.
    static let skip: UInt32 = 1
    /// Entries with this bit set index ``expansions``: a count, then the letters.
    static let expansionFlag: UInt32 = 0x8000_0000

    /// One entry per BMP scalar.
    let entries: [UInt32]
    /// Letters of folds longer than one letter.
    let expansions: [UInt32]

    init(entries: [UInt32], expansions: [UInt32]) {
        self.entries = entries
        self.expansions = expansions
    }

    /// Builds the table from the Unicode properties of this Swift runtime.
    public static func build() -> LanguageScalarTable {
        var entries = [UInt32](repeating: boundary, count: 0x1_0000)
        var expansions: [UInt32] = []
        for value in 0..<UInt32(0x1_0000) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let letters = fold(scalar)
            switch letters?.count {
            case nil: entries[Int(value)] = boundary
            case 0: entries[Int(value)] = skip
            case 1: entries[Int(value)] = letters![0]
            default:
                entries[Int(value)] = expansionFlag | UInt32(expansions.count)
                expansions.append(UInt32(letters!.count))
                expansions.append(contentsOf: letters!)
            }
        }
        return LanguageScalarTable(entries: entries, expansions: expansions)
    }

    /// The letters a scalar stands for: nil at a word boundary, empty when it is ignored.
    static func fold(_ scalar: Unicode.Scalar) -> [UInt32]? {
        let value = scalar.value
        // Arabic harakat, Quranic marks, superscript alef and tatweel: not part of the spelling.
        if (0x064B...0x065F).contains(value) || value == 0x0670 || value == 0x0640 || (0x06D6...0x06ED).contains(value) {
            return []
        }
        // Apostrophes join (English "don't", French "aujourd'hui"): wordfreq spells them joined too.
        if value == 0x27 || value == 0x2019 { return [] }
        let properties = scalar.properties
        guard properties.isAlphabetic else {
            switch properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: return []  // accents in NFD text, ZWNJ, bidi marks
            default: return nil
            }
        }
        let folded = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
        return folded.unicodeScalars.filter { $0.properties.isAlphabetic }.map(\.value)
    }

    /// Calls `body` with the letters `value` stands for; returns false at a word boundary.
    @inline(__always)
    func forEachLetter(of value: UInt32, _ body: (UInt32) -> Void) -> Bool {
        var entry: UInt32
        if value < 0x1_0000 {
            entry = entries[Int(value)]
        } else {
            // Outside the BMP (historic scripts, rare ideographs, emoji): asked directly.
            guard let scalar = Unicode.Scalar(value), let letters = Self.fold(scalar) else { return false }
            letters.forEach(body)
            return true
        }
        if entry == Self.boundary { return false }
        if entry == Self.skip { return true }
        if entry & Self.expansionFlag != 0 {
            let start = Int(entry & ~Self.expansionFlag)
            let count = Int(expansions[start])
            for index in 0..<count { body(expansions[start + 1 + index]) }
            return true
        }
        body(entry)
        return true
    }
}
