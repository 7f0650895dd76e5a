import CreditOperations
import Foundation

/// Compares, per list, what the city holds of its own list entries with what the peer holds from
/// it: counts and digests, then the references whose state differs.
public struct Reconciler: Sendable {
    public let operations: CreditOperations
    public let identity: ExchangeIdentity
    public let peer: ExchangePeer
    public let transport: any ExchangeTransport

    public init(operations: CreditOperations, identity: ExchangeIdentity, peer: ExchangePeer, transport: (any ExchangeTransport)? = nil) {
        self.operations = operations; self.identity = identity; self.peer = peer
        self.transport = transport ?? makeTransport(for: peer)
    }

    /// One list compared.
    public struct ListResult: Sendable, Codable, Hashable {
        public var list: String
        public var local: ListSummary
        public var remote: ListSummary
        /// Lines (`reference|subject|entered_on|exited_on`) only the city holds, and only the peer.
        public var onlyLocal: [String]
        public var onlyRemote: [String]
        public var matches: Bool { local == remote }
    }

    /// Compares every list either side holds.
    public func reconcile() async throws -> [ListResult] {
        let local = try operations.localListState()
        let remote = try await transport.reconcile(sender: identity.id)
        let remoteByList = Dictionary(remote.lists.map { ($0.list, $0) }, uniquingKeysWith: { a, _ in a })
        var results: [ListResult] = []
        for list in Set(local.keys).union(remoteByList.keys).sorted() {
            let state = local[list] ?? ([], 0)
            let mine = ExchangeJSON.summary(list: list, lines: state.lines, inForce: state.inForce)
            let theirs = remoteByList[list] ?? ExchangeJSON.summary(list: list, lines: [], inForce: 0)
            var result = ListResult(list: list, local: mine, remote: theirs, onlyLocal: [], onlyRemote: [])
            if mine != theirs {
                let lines = Set(try await transport.reconcileLines(sender: identity.id, list: list).lines)
                let own = Set(state.lines)
                result.onlyLocal = own.subtracting(lines).sorted()
                result.onlyRemote = lines.subtracting(own).sorted()
            }
            results.append(result)
        }
        return results
    }
}
