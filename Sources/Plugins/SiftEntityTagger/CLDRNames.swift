import Foundation

/// Place and currency names from a Unicode CLDR locale file (`common/main/<locale>.xml`, as
/// Debian's unicode-cldr-core installs it): countries and territories, the cities that name
/// time zones, and currencies — gazetteer entries for the tagger.
public struct CLDRNames: Sendable {
    /// Countries, territories and cities.
    public var places: [String] = []
    /// Currency names, singular and plural.
    public var currencies: [String] = []

    /// Reads a locale file.
    /// - Throws: when the file cannot be read.
    public init(localeFile path: String) throws {
        let xml = try String(contentsOfFile: path, encoding: .utf8)
        places = Self.values(of: "territory", in: xml) + Self.values(of: "exemplarCity", in: xml)
        let currencySection =
            xml.range(of: "<currencies>").flatMap { start in
                xml.range(of: "</currencies>", range: start.upperBound..<xml.endIndex).map { xml[start.upperBound..<$0.lowerBound] }
            } ?? ""
        currencies = Array(Set(Self.values(of: "displayName", in: String(currencySection)))).sorted()
        places = Array(Set(places.filter { !$0.contains("غير معروف") && !$0.lowercased().contains("unknown") })).sorted()
    }

    /// The text of every `<element …>text</element>`.
    static func values(of element: String, in xml: String) -> [String] {
        var values: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(element)") {
            guard let close = rest.range(of: ">", range: open.upperBound..<rest.endIndex),
                let end = rest.range(of: "</\(element)>", range: close.upperBound..<rest.endIndex)
            else { break }
            let attributes = rest[open.upperBound..<close.lowerBound]
            // Skip variants and alternative short forms ("alt=") and anything nested.
            if !attributes.contains("alt=") {
                let value = rest[close.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty, !value.contains("<") { values.append(value) }
            }
            rest = rest[end.upperBound...]
        }
        return values
    }
}
