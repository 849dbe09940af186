import Foundation

/// RFC 3339 timestamps in UTC with milliseconds, as results and logs write them.
enum Timestamp {
    static func string(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
