import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CreditService

/// Collects log lines (message and metadata) in memory.
struct CapturingLogHandler: LogHandler {
    let lines: LockedBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let meta = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.withValue { $0.append("\(message) \(meta)") }
    }
}

extension ServiceOnSQLiteTests {
    @Test func requestLogsNameTheRouteStatusAndCallerNeverTokensOrIDNumbers() async throws {
        let lines = LockedBox([String]())
        let logger = Logger(label: "test.service") { _ in CapturingLogHandler(lines: lines) }
        let app = buildApplication(operations: operations, tokens: tokens, host: "127.0.0.1", port: 0, logger: logger)
        let id = "350221197203140316"
        try await app.test(.live) { client in
            _ = try await get(client, "/v1/subjects/\(id)/measures?unmask=true", token: Self.officer)
            _ = try await get(client, "/v1/subjects/\(id)", token: "wrong-token-\(Self.officer)")
        }
        let requests = lines.value.filter { $0.hasPrefix("request") }
        #expect(requests.contains { $0.contains("path=/v1/subjects/{id}/measures") && $0.contains("caller=officer-07") && $0.contains("status=200")
            && $0.contains("micros=") && $0.contains("method=GET") }, "\(requests)")
        #expect(requests.contains { $0.contains("status=401") && ($0.contains("path=/v1/subjects/{id} ") || $0.contains("350221********0316")) }, "\(requests)")
        let all = lines.value.joined(separator: "\n")
        #expect(!all.contains(id) && !all.contains(Self.officer), "no ID number, no token in the log")
    }
}
