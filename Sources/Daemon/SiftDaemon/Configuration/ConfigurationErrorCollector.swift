import Configuration
import Synchronization

/// Collects the keys whose values could not be converted, so that bad values are errors, not silent defaults.
final class ConfigurationErrorCollector: AccessReporter, Sendable {
    private let errors = Mutex<[String]>([])

    func report(_ event: AccessEvent) {
        var message: String?
        if let conversionError = event.conversionError {
            message = "\(conversionError)"
        } else if case .failure(let error) = event.result {
            message = "\(error)"
        } else {
            for providerResult in event.providerResults {
                if case .failure(let error) = providerResult.result {
                    message = "\(error) (from \(providerResult.providerName))"
                    break
                }
            }
        }
        guard let message else { return }
        let key = event.metadata.key.components.filter { $0 != "siftd" }.joined(separator: ".")
        errors.withLock { $0.append("'\(key)': \(message)") }
    }

    var collected: [String] { errors.withLock { $0 } }
}
