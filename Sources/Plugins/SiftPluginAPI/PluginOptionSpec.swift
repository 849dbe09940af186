/// Declares one option a plugin accepts, with its type, range and default.
public struct PluginOptionSpec: Sendable {
    /// The type and the allowed values of an option.
    public enum Kind: Sendable, CustomStringConvertible {
        case string
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case boolean
        case stringList
        case choice([String])

        public var description: String {
            switch self {
            case .string: "string"
            case .integer(let range): "integer \(range.lowerBound)...\(range.upperBound)"
            case .number(let range): "number \(range.lowerBound)...\(range.upperBound)"
            case .boolean: "boolean"
            case .stringList: "list of strings"
            case .choice(let values): "one of \(values.joined(separator: ", "))"
            }
        }
    }

    /// The option's key, in snake case.
    public var name: String
    /// The option's type and allowed values.
    public var kind: Kind
    /// The value used when configuration does not set the option; `nil` makes it required.
    public var defaultValue: JSONValue?
    /// One line of help.
    public var summary: String

    /// Declares an option.
    public init(_ name: String, _ kind: Kind, default defaultValue: JSONValue?, summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// Checks `value` against the declaration and returns it in canonical form.
    /// - Throws: ``PluginError`` with code ``PluginError/Code/invalidOption`` naming the key.
    public func validate(_ value: JSONValue) throws -> JSONValue {
        func reject() -> PluginError {
            PluginError(.invalidOption, "option '\(name)' must be \(kind), got \(value.renderedForMessage)")
        }
        switch kind {
        case .string:
            guard value.stringValue != nil else { throw reject() }
            return value
        case .integer(let range):
            guard let int = value.intValue, range.contains(int) else { throw reject() }
            return .int(int)
        case .number(let range):
            guard let number = value.doubleValue, range.contains(number) else { throw reject() }
            return .double(number)
        case .boolean:
            guard value.boolValue != nil else { throw reject() }
            return value
        case .stringList:
            guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else { throw reject() }
            return value
        case .choice(let allowed):
            guard let string = value.stringValue, allowed.contains(string) else { throw reject() }
            return value
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// A short rendering for messages: strings quoted, objects elided.
    public var description: String { renderedForMessage }

    var renderedForMessage: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): "'\(value)'"
        case .array(let values): "[" + values.map(\.renderedForMessage).joined(separator: ", ") + "]"
        case .object: "an object"
        }
    }
}
