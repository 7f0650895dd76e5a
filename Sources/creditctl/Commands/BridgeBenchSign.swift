import ArgumentParser
import CreditRegistry
import Foundation
import NationalBridge

extension BridgeCommand {
    /// `creditctl bridge bench-sign`: the signing bound of the sender (bench/bridge.sh).
    struct BenchSign: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-sign",
            abstract: "Seal (digest and sign) COUNT list-entry envelopes with the configured key; prints messages/s.",
            shouldDisplay: false
        )
        @OptionGroup var exchange: ExchangeOptions
        @Option(help: "Envelopes to seal.") var count: Int = 10_000

        func run() throws {
            let (cfg, peer) = try exchange.load()
            let payload = try ExchangePayload.encode(ExchangePayload.ListEntry(
                list: "abnormal_operations", reference: "commerce:AO-2026-0101", enteredOn: "2026-11-02", ground: "未按期公示年度报告",
                authority: "厦门市市场监督管理局", name: "厦门示例贸易有限公司", subjectKind: "enterprise"))
            let started = Date()
            for i in 0..<max(1, count) {
                _ = try Envelope.seal(kind: "list-entry", subject: "91350200MA2XH1K70Y", payload: payload, sequence: Int64(i + 1),
                                      createdAt: "2026-11-30T08:15:02Z", from: cfg.identity, to: peer.id)
            }
            let seconds = Date().timeIntervalSince(started)
            print(#"{"count": \#(count), "seconds": \#(seconds), "per_second": \#(Double(count) / seconds)}"#)
        }
    }
}
