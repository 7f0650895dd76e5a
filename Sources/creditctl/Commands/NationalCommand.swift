import ArgumentParser
import CreditRegistry
import Foundation
import Hummingbird
import Logging
import NationalBridge

/// `creditctl national serve`: the reference peer, a stand-in for the national platform.
struct NationalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "national",
        abstract: "The reference national platform (a stand-in peer for tests and demos).",
        subcommands: [Serve.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the exchange protocol on 127.0.0.1: store signed messages, serve list pages, reconcile.",
            discussion: """
            The configuration names this platform (self: id, private_key) and the senders it accepts (peers: id, \
            public_key). Faults for tests and demos: the flags below, or POST /control with the same names in JSON \
            ({"fail_next": 2, "drop_next": 1, "drop_after": 3, "duplicate_next": 1, "slow_ms": 200, "down": false, \
            "bad_signature": false}).
            """
        )
        @Option(help: "Exchange configuration of the peer (JSON).") var config: String
        @Option(help: "The peer's own database (received messages).") var store: String = "national.db"
        @Option(help: "Directory of national list CSV files to serve as pages.") var lists: String?
        @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
        @Option(help: "Port to listen on.") var port: Int = 9400
        @Option(help: "Answer 500 to the next N batches.") var failNext: Int = 0
        @Option(help: "Drop the connection in the middle of the next N batches.") var dropNext: Int = 0
        @Option(help: "Messages stored before a dropped connection.") var dropAfter: Int = 0
        @Option(help: "Store the next N batches but lose the answer (duplicate delivery follows).") var duplicateNext: Int = 0
        @Option(help: "Wait this many milliseconds before each answer.") var slowMs: Int = 0
        @Flag(help: "Close every exchange connection (down).") var down = false
        @Flag(help: "Sign answers with a broken signature.") var badSignature = false
        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            CLILogging.bootstrap(level: logging.level)
            let cfg: ExchangeConfig
            do { cfg = try ExchangeConfig.load(path: config) } catch {
                Terminal.err("creditctl: \(error)\n")
                throw ExitCode(65)
            }
            var faults = PeerFaults()
            faults.failNext = failNext; faults.dropNext = dropNext; faults.dropAfter = dropAfter
            faults.duplicateNext = duplicateNext; faults.slowMs = slowMs; faults.down = down; faults.badSignature = badSignature
            let peer = ReferencePeer(config: cfg, store: try PeerStore(path: store), lists: try NationalListSource(directory: lists), faults: faults)
            try await peer.application(host: host, port: port, onServerRunning: { port in
                Terminal.err("national peer \(cfg.identity.id) on http://\(host):\(port)\n")
            }).runService()
        }
    }
}
