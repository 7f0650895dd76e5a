import ArgumentParser
import CreditOperations
import CreditRegistry
import Foundation
import NationalBridge

/// Options of the commands that talk to a peer.
struct ExchangeOptions: ParsableArguments {
    @Option(help: "Exchange configuration (JSON: self, peers).") var config: String = "exchange.json"
    @Option(help: "The peer to talk to (default: the only one, or `national`).") var peer: String?

    func load() throws -> (ExchangeConfig, ExchangePeer) {
        let cfg: ExchangeConfig
        do { cfg = try ExchangeConfig.load(path: config) } catch {
            Terminal.err("creditctl: \(error)\n")
            throw ExitCode(65)
        }
        let all = cfg.peers.all
        guard let chosen = peer.flatMap({ cfg.peers.peer($0) }) ?? (all.count == 1 ? all.first : cfg.peers.peer("national")) else {
            Terminal.err("creditctl: \(config): no peer \(peer ?? "national") (peers: \(all.map(\.id).joined(separator: ", ")))\n")
            throw ExitCode(65)
        }
        return (cfg, chosen)
    }
}

extension BridgeCommand {
    /// `creditctl bridge push`
    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliver the outbox (list changes, feedback) to the peer, retrying with back-off.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var exchange: ExchangeOptions
        @Option(help: "Give up after this many failed attempts in a row.") var maxFailures: Int = 8
        @Option(help: "Messages per batch.") var batch: Int = 200

        func run() async throws {
            let ops = try global.existingOperations(orPostgres: "bridge push")
            let (cfg, peer) = try exchange.load()
            var sender = OutboxSender(operations: ops, identity: cfg.identity, peer: peer)
            sender.batchSize = max(1, batch)
            do {
                let s = try await sender.push(maxFailures: maxFailures)
                if global.format == .json { print(JSON.line(s)) } else {
                    print("pushed to \(peer.id): \(s.sent) sent in \(s.batches) batches, \(s.accepted) accepted, \(s.duplicates) duplicates, \(s.failures) failed attempts")
                }
            } catch {
                Terminal.err("creditctl: push to \(peer.id) stopped: \(error)\n")
                throw ExitCode(75)
            }
        }
    }

    /// `creditctl bridge pull LIST…`
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pull national lists page by page and apply them (provenance national).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var exchange: ExchangeOptions
        @Option(help: "Rows per page.") var pageSize: Int = 1_000
        @Argument(help: "The lists (default: every national list).") var lists: [String] = []

        func run() async throws {
            let ops = try global.operations(orPostgres: "bridge pull")
            let (cfg, peer) = try exchange.load()
            var puller = NationalListPuller(operations: ops, identity: cfg.identity, peer: peer)
            puller.pageSize = max(1, pageSize)
            var failed = false
            for list in lists.isEmpty ? KnownList.national : lists {
                do {
                    let s = try await puller.pull(list: list)
                    if global.format == .json { print(JSON.line(s)) } else {
                        print("\(list): \(s.pages) pages, \(s.rows) rows, \(s.rejected) rejected, cursor \(s.cursor)")
                    }
                } catch let e as TransportError where e.code == "unknown-list" {
                    if !lists.isEmpty { Terminal.err("creditctl: \(list): the peer serves no such list\n"); failed = true }
                } catch {
                    Terminal.err("creditctl: \(list): \(error)\n")
                    failed = true
                }
            }
            if failed { throw ExitCode(75) }
        }
    }

    /// `creditctl bridge status`
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The outbox: queued, in flight, acknowledged; failing peers and their last error.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let s = try global.existingOperations(orPostgres: "bridge status").outboxStatus()
            if global.format == .json { print(JSON.line(s)); return }
            print("queued: \(s.queued)  in flight: \(s.inFlight)  acknowledged: \(s.acknowledged)")
            for p in s.peers {
                print("\(p.peer): \(p.failing ? "failing (\(p.failures) attempts)" : "ok")  last acknowledged: \(p.lastAcknowledged)"
                      + (p.lastError.map { "  last error: \($0) at \(p.lastErrorAt ?? "?")" } ?? ""))
            }
        }
    }

    /// `creditctl bridge reconcile`
    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compare each list with the peer: counts and digests, then the differing subjects.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var exchange: ExchangeOptions

        func run() async throws {
            let ops = try global.existingOperations(orPostgres: "bridge reconcile")
            let (cfg, peer) = try exchange.load()
            let results: [Reconciler.ListResult]
            do { results = try await Reconciler(operations: ops, identity: cfg.identity, peer: peer).reconcile() } catch {
                Terminal.err("creditctl: reconcile with \(peer.id): \(error)\n")
                throw ExitCode(75)
            }
            if global.format == .json { print(JSON.line(results)) } else {
                for r in results {
                    print("\(r.list): local \(r.local.count) \(r.local.digest.prefix(16))…  \(peer.id) \(r.remote.count) \(r.remote.digest.prefix(16))…  \(r.matches ? "same" : "DIFFERENT")")
                    for l in r.onlyLocal { print("  only here:  \(l)") }
                    for l in r.onlyRemote { print("  only there: \(l)") }
                }
            }
            if results.contains(where: { !$0.matches }) { throw ExitCode(1) }
        }
    }
}
