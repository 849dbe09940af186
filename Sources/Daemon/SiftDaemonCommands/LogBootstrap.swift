import Logging
import SiftDaemon
import SiftSystemd

/// Chooses the process's log handler and hands queued journal entries over before it exits.
enum LogBootstrap {
    /// Chooses the log handler; called once per process.
    static func bootstrap(target: LogTarget) {
        let journal = target == .journal || (target == .auto && LogDestination.standardErrorIsJournal())
        LoggingSystem.bootstrap { label in
            if journal {
                var handler = JournalLogHandler(label: label)
                handler.logLevel = .info
                return handler
            }
            var handler = ConsoleLogHandler(label: label)
            handler.logLevel = .info
            return handler
        }
    }

    /// Hands queued journal entries over before the process exits.
    static func flush() {
        JournalWriter.shared.flush()
    }
}
