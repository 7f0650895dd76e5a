import Foundation
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest

/// Paths of the shipped samples, found from this file's location.
enum SampleFiles {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ relative: String) -> String { root + "/samples/" + relative }

    /// Reads a whole feed: its header, its events, and its digest.
    static func readAll(_ path: String) throws(FeedError) -> (header: FeedHeader, items: [FeedItem], issues: [FeedItemIssue], digest: String?) {
        let reader = try FeedReader(path: path)
        var items: [FeedItem] = []
        var issues: [FeedItemIssue] = []
        while let e = try reader.next() {
            switch e {
            case .item(let i): items.append(i)
            case .invalid(let i): issues.append(i)
            }
        }
        return (reader.header, items, issues, reader.digest)
    }

    static func counts(_ items: [FeedItem]) -> [FeedItemKind: Int] {
        items.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }

    /// Catches the FeedError a body throws, or nil.
    static func feedError(_ body: () throws(FeedError) -> Void) -> FeedError? {
        do { try body(); return nil } catch { return error }
    }
}
