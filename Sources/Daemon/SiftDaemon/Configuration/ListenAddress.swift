/// A TCP address to listen on, `HOST:PORT`: an IPv4 address, `[IPv6]`, or `localhost`. Port 0
/// asks the system for a free port.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host, without brackets.
    public var host: String
    /// The port.
    public var port: Int

    /// An address from its parts; `host` without brackets.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`.
    /// - Throws: ``SiftError`` with code `invalidConfiguration`, naming `key`, when it is not one.
    public init(parsing text: String, key: String) throws {
        let invalid = SiftError(
            .invalidConfiguration, "invalid value for '\(key)': '\(text)' (use HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464)")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw invalid
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { throw invalid }
        } else if host != "localhost" {
            let parts = host.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4, parts.allSatisfy({ part in UInt8(part).map { String($0) == part } ?? false }) else { throw invalid }
        }
        self.host = host
        self.port = port
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
