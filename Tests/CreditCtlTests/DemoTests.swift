import CreditRegistry
import CreditTestSupport
import Foundation
import Testing

/// `creditctl demo` on the bundled samples, through the real binary.
@Suite
struct DemoTests {
    /// Every bureau list and every national list has a subject under at least one measure of the
    /// shipped rules, and resident IDs never appear unmasked.
    @Test func demoShowsOneSubjectUnderMeasuresPerArea() throws {
        let scratch = try TemporaryDirectory("demo-areas")
        let root = CreditCtlBinary.packageRoot
        // A day on which every sample entry has been listed.
        let r = try CreditCtlBinary.run(["demo", "--db", scratch.path("demo.db"),
                                         "--samples", root.appendingPathComponent("samples").path,
                                         "--rules", root.appendingPathComponent("rules").path],
                                        environment: ["CREDITCTL_TODAY": "2026-11-30"])
        #expect(r.status == 0, "\(r.stderr)")
        let section = r.stdout.components(separatedBy: "== 4. One subject per joint-punishment area").dropFirst().first?
            .components(separatedBy: "== 5.").first ?? ""
        #expect(!section.isEmpty, "the demo prints the per-area section: \(r.stdout)")
        let areas = [KnownList.abnormalOperations, KnownList.seriousViolation, KnownList.majorTaxViolation,
                     KnownList.foodDrugSeriousDishonest] + KnownList.national
        let lines = section.split(separator: "\n").map(String.init)
        for area in areas {
            let line = lines.first { $0.hasPrefix(area + " ") }
            #expect(line != nil, "\(area) appears")
            guard let line else { continue }
            #expect(!line.contains("(nobody on the list)") && !line.contains("(no measure)"), "\(line)")
            // Columns: area, code, name, then measure ids.
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(fields.count >= 4, "\(area) has a subject and at least one measure: \(line)")
        }
        #expect(lines.contains { $0.hasPrefix("railway_dishonest ") && $0.contains("350203********0035") && $0.contains("tr_rail_ban") })
        for id in ["350206198005120032", "350203198503020035", "350203199007150046", "350211197702280011"] {
            #expect(!r.stdout.contains(id), "resident ID \(id) is masked")
        }
    }
}
