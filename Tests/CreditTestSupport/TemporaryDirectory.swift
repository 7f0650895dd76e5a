import Foundation

/// A directory of its own under the system's temporary directory, removed with everything in it
/// when the last reference goes (a test suite holds one; Swift Testing releases the suite after
/// each test).
///
/// ```swift
/// let scratch = try TemporaryDirectory("ingest")
/// let db = scratch.path("credit.db")
/// ```
public final class TemporaryDirectory: Sendable {
    public let url: URL

    /// Creates `<tmp>/<prefix>-<uuid>`.
    public init(_ prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
