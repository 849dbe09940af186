public import Logging

/// Every distinct event siftd logs, each with its stable journal `MESSAGE_ID`.
///
/// The identifiers were generated once and never change; `systemd/siftd.catalog` explains each
/// one, so that `journalctl -x` shows what happened and what to do, and
/// `journalctl MESSAGE_ID=…` finds every occurrence.
public enum SiftEvent: String, CaseIterable, Sendable {
    case daemonStarted = "d6b1568f6a304ea99faac887dd92e486"
    case daemonReady = "8c189e2bcd62489db39395ef48413618"
    case documentAccepted = "e17d4e5f6ed8464588cc409254101734"
    case documentProcessed = "3591dbcbf3b7404299da5627c2751f34"
    case documentFailed = "91da36b2b0e64eb1bc061d4c491b594b"
    case documentDeferred = "e1620f489cb7425d9a7cf353e44d03e2"
    case documentsResumed = "4e3281c639a54b0186ae5becdb1307ec"
    case pluginFailed = "ae162825cf0b466b83d7d87c7aff944d"
    case pluginTimedOut = "9616a31b5a2540a88cae17dafa8d7d41"
    case duplicateDetected = "e565c8dd3c4d4a019afe0ae06687da8d"
    case configurationReloaded = "90f5e590e7814f12813278b16a415c5a"
    case configurationRejected = "0fadeab89db345d6add655438cdc5810"
    case inboxOverflowRescan = "25d2b6a831594084899e78bd975fb400"
    case daemonStopping = "79872ca5105a474baf9c71e968c802e6"
    case daemonStopped = "0553e98b292d40219afd8b725b46a505"
    case logEntriesDropped = "ddaefdc0dd2b4f78bd13182c5a7007e7"
    case documentRenamed = "bfad1d9d101b4f909cf0b2e8bd8d4197"
    case documentQuarantined = "cf921d3c25864abeacc01b3f3f4522e1"

    /// The journal `MESSAGE_ID`: 128 bits as 32 lower-case hex digits.
    public var messageID: String { rawValue }

    /// The metadata key that carries the event's id from a log call to the log handler.
    public static let metadataKey = "message_id"
}

extension Logger {
    /// Logs one of siftd's events: its message id travels as metadata, so the journal handler
    /// can set `MESSAGE_ID` and the console shows it as `message_id=…`.
    public func log(
        _ event: SiftEvent, _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
        metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        var merged = metadata() ?? [:]
        merged[SiftEvent.metadataKey] = "\(event.messageID)"
        log(level: level, message(), metadata: merged, file: file, function: function, line: line)
    }
}
