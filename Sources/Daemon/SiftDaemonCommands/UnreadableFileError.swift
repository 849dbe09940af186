import Foundation

/// A file or folder a command was given that cannot be read, in a sentence: "cannot read
/// data/train.txt: no such file or directory".
struct UnreadableFileError: LocalizedError {
    /// The path, as Foundation reported it (not always).
    let path: String?
    /// Why, in a few words.
    let reason: String

    /// The readable form of a Foundation file error; `nil` for any other error.
    init?(_ error: any Error) {
        guard let error = error as? CocoaError, error.isFileError else { return nil }
        path = error.filePath ?? error.url?.path
        switch error.code {
        case .fileReadNoSuchFile, .fileNoSuchFile: reason = "no such file or directory"
        case .fileReadNoPermission: reason = "permission denied"
        case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: reason = "not UTF-8 text"
        case .fileReadTooLarge: reason = "too large"
        default: reason = error.localizedDescription
        }
    }

    var errorDescription: String? { "cannot read \(path ?? "a file given"): \(reason)" }
}
