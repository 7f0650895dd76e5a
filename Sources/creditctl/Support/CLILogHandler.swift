import ArgumentParser
import Foundation
import Logging

/// swift-log output of the command line: to standard error, one readable line on a terminal,
/// one JSON object per line when piped (machine-readable, like `--format json`).
struct CLILogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let at = ISO8601DateFormatter().string(from: Date())
        if json {
            var fields: [String: String] = ["at": at, "level": event.level.rawValue, "label": label, "message": "\(event.message)"]
            for (k, v) in all { fields[k] = "\(v)" }
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? e.encode(fields) { Terminal.err(String(decoding: data, as: UTF8.self) + "\n") }
        } else {
            let meta = all.keys.sorted().map { "\($0)=\(all[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
            Terminal.err("\(at) \(event.level.rawValue) \(label): \(event.message)\(meta.isEmpty ? "" : " " + meta)\n")
        }
    }
}

/// Sets up logging once per process.
enum CLILogging {
    private static let once = LockedOnce()

    /// Bootstraps swift-log at `level` (JSON lines when standard error is not a terminal).
    static func bootstrap(level: Logger.Level) {
        once.run {
            let json = !Terminal.stderrIsTTY
            LoggingSystem.bootstrap { label in CLILogHandler(label: label, json: json, logLevel: level) }
        }
    }
}

/// Runs a closure at most once, from any thread.
final class LockedOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func run(_ body: () -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard !done else { return }
        done = true
        body()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
