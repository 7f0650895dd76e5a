import CreditTestSupport
import Foundation
import Testing

/// Bad input through the real `creditctl`: a refused feed does not stop the files after it, and
/// nothing crashes (on SQLite and on PostgreSQL).
@Suite struct InputHardeningTests {
    let scratch: TemporaryDirectory
    let root = CreditCtlBinary.packageRoot

    init() throws {
        scratch = try TemporaryDirectory("input-hardening")
    }

    func sample(_ p: String) -> String { root.appendingPathComponent("samples/\(p)").path }

    /// The reproduction (UTF-8 bytes declared GB18030) in the middle of three files: it is
    /// refused with its position, the file after it is still ingested, the exit status is 1 and a
    /// per-file summary closes the run.
    @Test(arguments: TestBackend.allCases) func item1_ingestRefusesAMisEncodedFeedAndGoesOnWithTheNextFile(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        let text = try String(contentsOfFile: sample("feeds/commerce-0002-delta.xml"), encoding: .utf8)
        let bad = scratch.path("commerce-gb18030.xml")
        try text.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"GB18030\"").write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try run(["ingest", "--format", "table", sample("feeds/commerce-0001-full.xml"), bad, sample("feeds/food-0001-full.xml")])
        #expect(r.killedBySignal == nil, "no crash: \(r.stderr)")
        #expect(r.status == 1)
        #expect(r.stdout.contains("REFUSED: \(bad):14: invalid GB18030 byte sequence"), "\(r.stdout)")
        #expect(r.stdout.contains("FSA-350200-20250630-FULL seq 1 (full): read"), "the file after the refused one is ingested: \(r.stdout)")
        #expect(r.stderr.contains("3 files: 2 ingested, 0 already ingested, 1 refused"), "\(r.stderr)")
        #expect(r.stderr.contains("REFUSED   \(bad)"), "\(r.stderr)")
    }
}
