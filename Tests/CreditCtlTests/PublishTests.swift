import CreditTestSupport
import CreditRegistry
import Foundation
import Testing

/// `creditctl publish` through the real binary on the bundled samples, on SQLite and PostgreSQL.
@Suite struct PublishTests {
    let scratch: TemporaryDirectory
    let out: String
    let root = CreditCtlBinary.packageRoot

    init() throws {
        scratch = try TemporaryDirectory("publish")
        out = scratch.path("open-data")
    }

    func prepare(_ run: RegistryCLI, activate: Bool = true) throws {
        let sample = { (p: String) in self.root.appendingPathComponent("samples/\(p)").path }
        let ingest = try run(["ingest", "--format", "json", sample("feeds/commerce-0001-full.xml"), sample("feeds/commerce-0002-delta.xml"),
                              sample("feeds/food-0001-full.xml"), sample("feeds/tax-0001-full.xml")])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(try run(["bridge", "import-national", "--format", "json", sample("national/dishonest-debtors.csv")]).status == 0)
        if activate { #expect(try run(["rules", "activate", root.appendingPathComponent("rules").path, "--author", "tester"]).status == 0) }
    }

    struct Manifest: Decodable {
        struct File: Decodable { var path: String; var records: Int; var bytes: Int; var sha256: String; var part: String; var format: String }
        struct Counts: Decodable { var snapshot: Int; var added: Int; var changed: Int; var withdrawn: Int }
        var asOf: String; var previous: String?; var csvEncoding: String; var files: [File]; var counts: [String: Counts]
        var signature: String?
    }

    func manifest(_ day: String) throws -> Manifest {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try d.decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: "\(out)/\(day)/manifest.json")))
    }

    @Test(arguments: TestBackend.allCases) func publishesSnapshotDeltaDictionaryAndChecksums(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        try prepare(run)
        let first = try run(["publish", "--out", out])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("first publication"))
        let m = try manifest("2025-07-10")
        #expect(m.previous == nil && m.csvEncoding == "utf8" && m.signature == nil)
        #expect(m.files.count == 4 * 4 + 1, "four tables × (CSV, JSONL) × (snapshot, delta) + dictionary")
        for f in m.files {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(out)/2025-07-10/\(f.path)"))
            #expect(Digest.sha256Hex(data) == f.sha256, "\(f.path)")
            #expect(data.count == f.bytes, "\(f.path)")
            if f.format == "jsonl" { #expect(data.split(separator: 10).count == f.records, "\(f.path)") }
            if f.format == "csv" {
                #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(f.path): UTF-8 with a byte-order mark")
                #expect(data.split(separator: 10).count == f.records + 1, "\(f.path): a header and one line a row")
            }
        }
        #expect((m.counts["penalties"]?.snapshot ?? 0) > 0 && m.counts["penalties"]?.added == m.counts["penalties"]?.snapshot)
        let dictionary = try String(contentsOfFile: "\(out)/2025-07-10/dictionary.json", encoding: .utf8)
        #expect(dictionary.contains("public_until") && dictionary.contains("公示截止日"))
        let all = try m.files.map { try String(decoding: Data(contentsOf: URL(fileURLWithPath: "\(out)/2025-07-10/\($0.path)")), as: UTF8.self) }.joined()
        #expect(!all.contains("natural_person") && !all.contains("350221197203140316"), "no natural person is published")

        // A later day in GB18030: penalties whose period ended are withdrawn in the delta.
        let second = try run(["publish", "--out", out, "--as-of", "2025-12-06", "--encoding", "gb18030"])
        #expect(second.status == 0, "\(second.stderr)")
        let m2 = try manifest("2025-12-06")
        #expect(m2.previous == "2025-07-10" && m2.csvEncoding == "gb18030")
        #expect((m2.counts["penalties"]?.withdrawn ?? 0) >= 1)
        let delta = try String(contentsOfFile: "\(out)/2025-12-06/delta/penalties.jsonl", encoding: .utf8)
        #expect(delta.contains("\"change\":\"withdrawn\",\"withdrawal\":\"period_ended\""))
        let csv = try Data(contentsOf: URL(fileURLWithPath: "\(out)/2025-12-06/subjects.csv"))
        #expect(String(data: csv, encoding: .utf8) == nil || !csv.starts(with: [0xEF, 0xBB, 0xBF]))
        let converted = try Self.iconv(csv, from: "GB18030")
        #expect(converted.contains("华兴科技（厦门）有限公司"), "the CSV is GB18030")

        // Published days are never rewritten; days are published in order.
        let again = try run(["publish", "--out", out, "--as-of", "2025-12-06"])
        #expect(again.status == 65 && again.stderr.contains("never rewritten"))
        let older = try run(["publish", "--out", out, "--as-of", "2025-09-01"])
        #expect(older.status == 65 && older.stderr.contains("later publication"))
        #expect(try run(["publish", "--out", out, "--as-of", "2025-13-01"]).status == 64)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(leftovers == ["2025-07-10", "2025-12-06"], "refused publications leave nothing behind")
    }

    @Test(arguments: TestBackend.allCases) func refusesWithoutAnActiveRuleSet(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        try prepare(run, activate: false)
        let r = try run(["publish", "--out", out])
        #expect(r.status == 65 && r.stderr.contains("no active rule set"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/2025-07-10"))
    }

    static func iconv(_ data: Data, from encoding: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", encoding, "-t", "UTF-8"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let converted = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "iconv -f \(encoding) failed")
        return String(decoding: converted, as: UTF8.self)
    }
}
