import CreditRegistry
import CreditTestSupport
import Foundation
import Testing

/// `creditctl demo` on the bundled samples, through the real binary.
@Suite
struct DemoTests {
    /// Every bureau list and every national list has a subject under at least one measure of the
    /// shipped rules, and resident IDs never appear unmasked; the registry the demo leaves (on
    /// PostgreSQL: moved there by `db copy`) reports the same measures for each company shown.
    @Test(arguments: TestBackend.allCases) func demoShowsOneSubjectUnderMeasuresPerArea(_ backend: TestBackend) throws {
        let scratch = try TemporaryDirectory("demo-areas")
        // A day on which every sample entry has been listed.
        let today = "2026-11-30"
        let (registry, r) = try backend.demo(in: scratch, today: today)
        let run = RegistryCLI(registry)
        let section = r.stdout.components(separatedBy: "== 4. One subject per joint-punishment area").dropFirst().first?
            .components(separatedBy: "== 5.").first ?? ""
        #expect(!section.isEmpty, "the demo prints the per-area section: \(r.stdout)")
        let areas = [KnownList.abnormalOperations, KnownList.seriousViolation, KnownList.majorTaxViolation,
                     KnownList.foodDrugSeriousDishonest] + KnownList.national
        let lines = section.split(separator: "\n").map(String.init)
        var companiesReported = 0
        for area in areas {
            let line = lines.first { $0.hasPrefix(area + " ") }
            #expect(line != nil, "\(area) appears")
            guard let line else { continue }
            #expect(!line.contains("(nobody on the list)") && !line.contains("(no measure)"), "\(line)")
            // Columns: area, code, name, then measure ids.
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(fields.count >= 4, "\(area) has a subject and at least one measure: \(line)")
            guard fields.count >= 4, !fields[1].contains("*") else { continue }
            let report = try run(["report", fields[1], "--format", "json"], environment: ["CREDITCTL_TODAY": today])
            #expect(report.status == 0, "\(report.stderr)")
            let missing = fields.dropFirst(3).filter { id in !report.stdout.contains("\"\(id)\"") }
            #expect(missing.isEmpty, "\(area): the registry's report on \(fields[1]) lacks \(missing)")
            companiesReported += 1
        }
        #expect(companiesReported >= 4)
        #expect(lines.contains { $0.hasPrefix("railway_dishonest ") && $0.contains("350203********0035") && $0.contains("tr_rail_ban") })
        for id in ["350206198005120032", "350203198503020035", "350203199007150046", "350211197702280011"] {
            #expect(!r.stdout.contains(id), "resident ID \(id) is masked")
        }
    }
}
