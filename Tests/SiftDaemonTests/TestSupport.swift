import Foundation
import SystemPackage
import Testing

@testable import SiftDaemon

enum Fixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name)))
    }
}

/// A fresh directory under the system's temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let path: FilePath

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("siftd-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = FilePath(url.path)
    }

    func write(_ name: String, _ text: String) throws -> FilePath {
        let file = path.appending(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file.string))
        return file
    }

    func names(in subdirectory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path.appending(subdirectory).string).sorted()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path.string)
    }
}

extension Spool {
    /// A spool below `directory`, its directories created for `instance`.
    static func prepared(in directory: TemporaryDirectory, instance: String = "one") throws -> Spool {
        let layout = SpoolLayout(spool: directory.path)
        try layout.prepare(instance: instance)
        return Spool(layout: layout, instance: instance)
    }
}

/// Runs CPU-bound synchronous work on a thread of its own, so that a long computation in one test
/// does not hold a thread of Swift's cooperative pool that the other tests' tasks need.
func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result(catching: body)) }.start()
    }
}
