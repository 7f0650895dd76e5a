import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import GRDB
import NationalBridge
import Testing

/// The open-data publication: deltas chain to the snapshot, and the publication of a day is what
/// the public query of that day answers.
@Suite struct PublicationTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    let scratch: TemporaryDirectory
    let registry: Registry

    init() throws {
        scratch = try TemporaryDirectory("publication")
        let ops = try CreditOperations.open(path: scratch.path("credit.db"), clock: .fixed(Support.day("2025-07-10")))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/food-0001-full.xml", "feeds/tax-0001-full.xml"] {
            _ = try ops.ingestFeed(path: Self.samples.appendingPathComponent(f).path)
        }
        _ = try NationalBridge(operations: ops).importDishonestDebtors(path: Self.samples.appendingPathComponent("national/dishonest-debtors.csv").path)
        _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "test")
        registry = ops.registry
    }

    func operations(_ day: Day) throws -> CreditOperations { try CreditOperations(registry: registry, clock: .fixed(day)) }

    /// Rows of a JSON Lines table by (code, key), without the delta's own columns.
    static func rows(_ path: String) throws -> [String: NSDictionary] {
        var out: [String: NSDictionary] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: .mutableContainers) as? NSMutableDictionary else { continue }
            object.removeObjects(forKeys: ["change", "withdrawal"])
            out["\(object["code"] ?? "")\u{1}\(object["key"] ?? "")"] = object
        }
        return out
    }

    /// Applies a delta file to a table.
    static func apply(_ delta: String, to table: inout [String: NSDictionary]) throws {
        for line in try String(contentsOfFile: delta, encoding: .utf8).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: .mutableContainers) as? NSMutableDictionary,
                  let change = object["change"] as? String else { throw TestError("delta line without change: \(line)") }
            object.removeObjects(forKeys: ["change", "withdrawal"])
            let key = "\(object["code"] ?? "")\u{1}\(object["key"] ?? "")"
            switch change {
            case "added": #expect(table[key] == nil, "added twice: \(key)"); table[key] = object
            case "changed": #expect(table[key] != nil, "changed but absent: \(key)"); table[key] = object
            case "withdrawn": #expect(table[key] != nil, "withdrawn but absent: \(key)"); table[key] = nil
            default: throw TestError("unknown change \(change)")
            }
        }
    }

    struct TestError: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    /// Over seeded random days (with the registry changing between publications), the first
    /// snapshot plus every delta since equals a fresh full snapshot of the same day, and so does
    /// the empty table plus every delta.
    @Test(arguments: [7, 1234, 99_991])
    func snapshotPlusDeltasEqualsAFreshSnapshot(seed: Int) async throws {
        try await onOwnThread {
            var random = SeededRandom(seed: UInt64(seed))
            let start = Support.day("2021-01-01").ordinal, end = Support.day("2028-01-01").ordinal
            var days = Set<Int>()
            while days.count < 6 { days.insert(start + Int(random.next() % UInt64(end - start))) }
            let chain = scratch.path("chain-\(seed)")
            var fromFirst: [PublicDataset: [String: NSDictionary]] = [:]
            var fromEmpty: [PublicDataset: [String: NSDictionary]] = Dictionary(uniqueKeysWithValues: PublicDataset.allCases.map { ($0, [:]) })
            var totalChanges = 0
            for (k, ordinal) in days.sorted().enumerated() {
                let day = Day(ordinal: ordinal)
                if k == 3 { try changeRegistry(on: day) }
                let manifest = try operations(day).publish(into: chain)
                let fresh = scratch.path("fresh-\(seed)-\(k)")
                _ = try operations(day).publish(into: fresh)
                for dataset in PublicDataset.allCases {
                    let name = dataset.rawValue
                    let expected = try Self.rows("\(fresh)/\(day)/\(name).jsonl")
                    #expect(try Self.rows("\(chain)/\(day)/\(name).jsonl") == expected)
                    if k == 0 { fromFirst[dataset] = try Self.rows("\(chain)/\(day)/\(name).jsonl") } else {
                        try Self.apply("\(chain)/\(day)/delta/\(name).jsonl", to: &fromFirst[dataset, default: [:]])
                    }
                    try Self.apply("\(chain)/\(day)/delta/\(name).jsonl", to: &fromEmpty[dataset, default: [:]])
                    #expect(fromFirst[dataset] == expected, "seed \(seed), \(day), \(name): first snapshot + deltas")
                    #expect(fromEmpty[dataset] == expected, "seed \(seed), \(day), \(name): deltas from nothing")
                    if k > 0, let c = manifest.counts[name] { totalChanges += c.added + c.changed + c.withdrawn }
                }
            }
            #expect(totalChanges > 0, "the days chosen must change something, or the test proves nothing")
        }
    }

    /// A repair, a list exit and a corrected penalty, effective on `day`.
    func changeRegistry(on day: Day) throws {
        let registry = self.registry
        try registry.write { db in
            try db.execute(sql: "UPDATE penalty SET repaired_on = ? WHERE record_key = 'commerce:PEN-C19-2024-033'", arguments: [day.description])
            try db.execute(sql: "UPDATE penalty SET fine_micro_wan = fine_micro_wan + 100 WHERE record_key = 'commerce:PEN-C12-2023-007'")
            try db.execute(sql: """
                UPDATE list_entry SET exited_on = ? WHERE id = (SELECT MIN(id) FROM list_entry WHERE exited_on IS NULL AND list = 'abnormal_operations')
                """, arguments: [day.description])
        }
    }

    /// The publication of a day holds exactly what the public query answers that day.
    @Test func publicationAgreesWithTheQueryOfTheSameDay() throws {
        for text in ["2023-09-01", "2025-07-10", "2026-08-02"] {
            let day = Support.day(text)
            let ops = try operations(day)
            let out = scratch.path("agree-\(text)")
            _ = try ops.publish(into: out)
            let penalties = try Self.rows("\(out)/\(day)/penalties.jsonl")
            let lists = try Self.rows("\(out)/\(day)/lists.jsonl")
            let subjects = try Self.rows("\(out)/\(day)/subjects.jsonl")
            #expect(!subjects.isEmpty)
            var queried = (penalties: 0, lists: 0)
            for code in subjects.values.compactMap({ $0["code"] as? String }) {
                guard let record = try ops.publicRecord(code) else { Issue.record("\(code) published but not public in the query"); continue }
                for p in record.penalties {
                    #expect(penalties["\(code)\u{1}\(p.key)"]?["public_until"] as? String == p.period.until?.description)
                }
                for e in record.lists { #expect(lists["\(code)\u{1}\(e.key)"] != nil) }
                queried.penalties += record.penalties.count; queried.lists += record.lists.count
            }
            #expect(queried.penalties == penalties.count && queried.lists == lists.count, "\(text)")
            #expect(subjects.values.allSatisfy { ($0["kind"] as? String) != "natural_person" })
        }
    }
}
