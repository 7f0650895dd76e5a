import Foundation
import Testing
@testable import CreditQuery
@testable import CreditRegistry
@testable import CreditSamples
import Decisions
@testable import FeedIngest

@Suite("FeedGenerator output through FeedReader")
struct FeedReaderGeneratorTests {
    private func generate(seed: UInt64, subjects: Int = 600) throws -> (dir: String, outputs: [FeedGenerator.Output]) {
        let dir = NSTemporaryDirectory() + "gen-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return (dir, try FeedGenerator(subjects: subjects, seed: seed, bankRows: 100).write(to: dir))
    }

    @Test func sameSeedSameBytesDifferentSeedDifferentBytes() throws {
        let a = try generate(seed: 11), b = try generate(seed: 11), c = try generate(seed: 12)
        for name in ["commerce-0001-full.xml", "tax-0001-full.xml", "food-0001-full.xml", "bank-counterparties.csv"] {
            let da = try Data(contentsOf: URL(fileURLWithPath: a.dir + "/" + name))
            let db = try Data(contentsOf: URL(fileURLWithPath: b.dir + "/" + name))
            let dc = try Data(contentsOf: URL(fileURLWithPath: c.dir + "/" + name))
            #expect(da == db, "\(name)")
            #expect(da != dc, "\(name)")
        }
    }

    @Test func outputReadsBackValid() throws {
        let g = try generate(seed: 5, subjects: 1500)
        for o in g.outputs where o.path.hasSuffix(".xml") {
            let r = try SampleFiles.readAll(o.path)
            #expect(r.issues.isEmpty, "\(o.path): \(r.issues.prefix(3))")
            #expect(r.items.count == o.records)
            #expect(Dictionary(uniqueKeysWithValues: SampleFiles.counts(r.items).map { ($0.key.rawValue, $0.value) }) == o.counts)
        }
        let commerce = try SampleFiles.readAll(g.dir + "/commerce-0001-full.xml")
        #expect(commerce.items.filter { $0.kind == .registration }.count == 1500)
        // Some persons represent several companies.
        let reps = commerce.items.filter { $0.kind == .registration }.compactMap { $0.group("person").first?["id"] }
        #expect(Set(reps).count < reps.count)
        #expect(commerce.items.contains { $0.kind == .penalty } && commerce.items.contains { $0.kind == .abnormalEntry })
    }

    @Test func codesHaveValidCheckCharacters() {
        #expect(SampleCodeMaker.uscc(prefix: "91", division: "350100", body: Array("M000100Y".utf8)) == "91350100M000100Y43")
        #expect(SampleCodeMaker.residentID(division: "110105", birth: "19491231", sequence: 2) == "11010519491231002X")
        #expect(SampleCodeMaker.organisationCheck(Array("M000100Y".utf8)) == UInt8(ascii: "4"))
    }
}
