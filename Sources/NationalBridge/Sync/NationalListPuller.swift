import CreditOperations
import CreditRegistry
import FeedIngest
import Foundation

/// Pulls national lists page by page from a peer and applies each through the national-list
/// import, the cursor moving in the page's transaction.
///
/// ```swift
/// let pulled = try await NationalListPuller(operations: ops, identity: me, peer: national).pull(list: "wage_arrears")
/// ```
public struct NationalListPuller: Sendable {
    public let operations: CreditOperations
    public let identity: ExchangeIdentity
    public let peer: ExchangePeer
    public let transport: any ExchangeTransport
    public var pageSize = 1_000

    public init(operations: CreditOperations, identity: ExchangeIdentity, peer: ExchangePeer, transport: (any ExchangeTransport)? = nil) {
        self.operations = operations; self.identity = identity; self.peer = peer
        self.transport = transport ?? makeTransport(for: peer)
    }

    /// What one list's pull did.
    public struct Summary: Sendable, Codable, Hashable {
        public var list: String
        public var pages = 0
        public var rows = 0
        public var rejected = 0
        public var cursor = "0"
    }

    /// A page the bridge does not apply.
    public struct PageRefused: Error, CustomStringConvertible, Sendable {
        public var list: String
        public var reason: String
        public var description: String { "page of \(list) not applied: \(reason)" }
    }

    /// Pulls `list` from the stored cursor until the peer says the list is complete.
    public func pull(list: String) async throws -> Summary {
        var summary = Summary(list: list)
        while true {
            let cursor = try operations.nationalCursor(peer: peer.id, list: list).cursor
            summary.cursor = cursor
            let envelope = try await transport.page(list: list, cursor: cursor, limit: pageSize)
            let page = try verifiedPage(envelope, list: list, cursor: cursor)
            let name = "national:\(peer.id)/\(list)@\(cursor)"
            var bytes = Array(page.csv.utf8)
            let file: NationalListFile
            do { file = try NationalListReader().read(bytes: bytes, file: name) } catch let e as NationalListError {
                throw PageRefused(list: list, reason: e.description)
            }
            // The page's identity includes where it sits, so equal rows at another cursor are a new feed.
            bytes.append(contentsOf: Array("\n\(name)".utf8))
            let rows = NationalListFile(file: file.file, digest: Digest.sha256Hex(bytes), rows: file.rows)
            let outcome = try operations.applyNationalPage(NationalPageApplication(
                peer: peer.id, list: list, cursor: cursor, nextCursor: page.nextCursor, complete: page.complete, rows: rows))
            if let outcome {
                if outcome.report.outcome == .refused { throw PageRefused(list: list, reason: outcome.report.reason ?? "refused") }
                summary.pages += 1
                summary.rows += outcome.report.read
                summary.rejected += outcome.report.rejected
            }
            summary.cursor = page.nextCursor
            if page.complete || page.nextCursor == cursor { return summary }
        }
    }

    func verifiedPage(_ e: Envelope, list: String, cursor: String) throws -> NationalListPage {
        guard e.kind == ExchangePayload.Kind.nationalListPage.rawValue, e.sender == peer.id else {
            throw PageRefused(list: list, reason: "the answer is not a national-list-page from \(peer.id)")
        }
        if let code = e.check(receiver: identity.id, peers: PeerDirectory([peer])) { throw PageRefused(list: list, reason: code.rawValue) }
        let page: NationalListPage
        do { page = try ExchangeJSON.decode(NationalListPage.self, from: Data(e.payload.utf8)) } catch {
            throw PageRefused(list: list, reason: "malformed: \(error)")
        }
        guard page.list == list, page.cursor == cursor else {
            throw PageRefused(list: list, reason: "bad-cursor: asked \(list)@\(cursor), got \(page.list)@\(page.cursor)")
        }
        return page
    }
}
