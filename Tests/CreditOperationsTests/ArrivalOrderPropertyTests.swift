import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import CreditSamples
import FeedIngest
import Foundation
import GRDB
import NationalBridge
import Testing

/// Whatever order the feeds arrive in, and whenever the rules are activated or refreshed, the
/// registry ends with the decisions, as-of reports and batch-check verdicts of a fresh registry
/// that took in everything and then activated.
///
/// Seeded: the generator's feeds are cut into chunks (a full feed and a delta per bureau, in
/// the bureau's sequence), then interleaved at random with a national list; the rules are
/// activated before, between or after them and refreshed at random points. Size and count come
/// from `ORDER_PROPERTY_SUBJECTS` and `ORDER_PROPERTY_ORDERS` (`bench/order-property.sh`).
@Suite final class ArrivalOrderPropertyTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    static let today = Support.day("2025-07-10")
    static let subjects = ProcessInfo.processInfo.environment["ORDER_PROPERTY_SUBJECTS"].flatMap(Int.init) ?? 300
    static let orders = ProcessInfo.processInfo.environment["ORDER_PROPERTY_ORDERS"].flatMap(Int.init) ?? 24
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }

    init() throws { scratch = try TemporaryDirectory("order-property") }

    /// One arriving file: a bureau feed chunk or a national list.
    enum Unit: Hashable { case feed(String), national(String) }

    /// Cuts a generated full feed into a full feed with the first `share` of its records and a
    /// delta (sequence 2) with the rest.
    func split(_ path: String, share: Double) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let headerEnd = lines.firstIndex(where: { $0.contains("</header>") }),
              let feedEnd = lines.lastIndex(where: { $0.hasPrefix("</feed>") }) else { throw CocoaError(.fileReadCorruptFile) }
        var records: [[String]] = []
        for line in lines[(headerEnd + 1)..<feedEnd] {
            if line.hasPrefix("  <") && !line.hasPrefix("  </") { records.append([line]) } else if !records.isEmpty { records[records.count - 1].append(line) }
        }
        let cut = Int(Double(records.count) * share)
        let head = Array(lines[...headerEnd])
        let first = head + records[..<cut].flatMap { $0 } + ["</feed>", ""]
        let second = head.map { line -> String in
            line.replacingOccurrences(of: "<sequence>1</sequence>", with: "<sequence>2</sequence>")
                .replacingOccurrences(of: "<kind>full</kind>", with: "<kind>delta</kind>")
                .replacingOccurrences(of: "</feedId>", with: "-DELTA</feedId>")
        } + records[cut...].flatMap { $0 } + ["</feed>", ""]
        let a = path.replacingOccurrences(of: ".xml", with: "-a.xml"), b = path.replacingOccurrences(of: ".xml", with: "-b.xml")
        try first.joined(separator: "\n").write(toFile: a, atomically: true, encoding: .utf8)
        try second.joined(separator: "\n").write(toFile: b, atomically: true, encoding: .utf8)
        return [a, b]
    }

    func ingest(_ unit: Unit, _ ops: CreditOperations) throws {
        switch unit {
        case .feed(let path):
            let r = try ops.ingestFeed(path: path).report
            #expect(r.outcome == .ingested, "\(path): \(r.reason ?? "")")
        case .national(let path):
            #expect(try NationalBridge(operations: ops).importDishonestDebtors(path: path).report.outcome == .ingested)
        }
    }

    /// What an officer and a bank see: as-of reports' measures and batch-check verdicts.
    func views(_ ops: CreditOperations, codes: [(String, String)]) throws -> [String] {
        var out: [String] = []
        for day in [Self.today, Support.day("2024-01-01")] {
            for (code, _) in codes {
                let report = try ops.report(code, options: .init(asOf: day, unmask: true, actor: "property"))
                for m in report?.measures ?? [] {
                    out.append("\(day) \(code) \(m.measure) \(m.validFrom) \(m.validUntil?.description ?? "-") \(m.viaCode ?? "")")
                }
            }
        }
        let csv = "code,name\n" + codes.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n"
        let (output, _) = try ops.batchCheck(input: Array(csv.utf8), options: .init(format: .csv), viewer: Viewer(actor: "property", maySeePersonalIDs: true))
        out.append(contentsOf: String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init).sorted())
        return out.sorted()
    }

    @Test func anyArrivalOrderEndsLikeAFreshRegistry() async throws {
        try await onOwnThread {
            let feeds = dir.appendingPathComponent("feeds")
            try FileManager.default.createDirectory(at: feeds, withIntermediateDirectories: true)
            _ = try FeedGenerator(subjects: Self.subjects, seed: 2026).write(to: feeds.path)
            var streams: [[Unit]] = []
            for (i, bureau) in ["commerce", "tax", "food"].enumerated() {
                streams.append(try split(feeds.appendingPathComponent("\(bureau)-0001-full.xml").path, share: [0.7, 0.5, 0.4][i]).map(Unit.feed))
            }
            streams.append([.national(Self.samples.appendingPathComponent("national/dishonest-debtors.csv").path)])
            let usual = streams.flatMap { $0 }

            let fresh = try CreditOperations.open(path: dir.appendingPathComponent("fresh.db").path, clock: .fixed(Self.today))
            for unit in usual { try ingest(unit, fresh) }
            _ = try fresh.activateRules(paths: [Support.rulesDir.path], author: "property")
            let expected = try RegistryFingerprint(fresh.registry)
            let codes = try fresh.registry.read { db in
                try Row.fetchAll(db, sql: "SELECT code, name FROM subject ORDER BY code").enumerated()
                    .filter { $0.offset % 9 == 0 }.map { ($0.element[0] as String, $0.element[1] as String) }
            }
            let expectedViews = try views(fresh, codes: codes)
            #expect(expected.lines.contains { $0.hasPrefix("decision:") }, "the feeds give decisions to compare")

            var rng = SeededRandom(seed: 9)
            for n in 0..<Self.orders {
                // A random interleaving that keeps each bureau's own sequence.
                var queues = streams, order: [Unit] = []
                while queues.contains(where: { !$0.isEmpty }) {
                    let open = queues.indices.filter { !queues[$0].isEmpty }
                    let pick = open[Int.random(in: 0..<open.count, using: &rng)]
                    order.append(queues[pick].removeFirst())
                }
                let activateAt = Int.random(in: 0...order.count, using: &rng)
                let refreshAt = Int.random(in: 0...order.count, using: &rng)
                let ops = try CreditOperations.open(path: dir.appendingPathComponent("order-\(n).db").path, clock: .fixed(Self.today))
                for (i, unit) in order.enumerated() {
                    if i == activateAt { _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "property") }
                    if i == refreshAt && i > activateAt { _ = try ops.refreshDecisions() }
                    try ingest(unit, ops)
                }
                if activateAt == order.count { _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "property") }
                #expect(try ops.pendingRecords().isEmpty)
                let got = try RegistryFingerprint(ops.registry)
                let described = order.map { u -> String in
                    switch u { case .feed(let p): (p as NSString).lastPathComponent; case .national: "national" }
                }
                #expect(got == expected, "order \(n) \(described), activated at \(activateAt): \(got.difference(from: expected))")
                #expect(try views(ops, codes: codes) == expectedViews, "order \(n) \(described): reports and verdicts")
                try? FileManager.default.removeItem(atPath: dir.appendingPathComponent("order-\(n).db").path)
            }
        }
    }
}
