import Foundation
import Testing

/// `docs/rules-coverage.md` is the output of `creditctl rules list --markdown rules`: it cannot drift.
@Suite struct RulesCoverageTests {
    @Test func committedCoverageEqualsTheCommandsOutput() throws {
        let root = CreditCtlBinary.packageRoot
        let out = try CreditCtlBinary.run(["rules", "list", "--markdown", root.appendingPathComponent("rules").path])
        #expect(out.status == 0)
        let committed = try String(contentsOf: root.appendingPathComponent("docs/rules-coverage.md"), encoding: .utf8)
        let generated = out.stdout.replacingOccurrences(of: root.path + "/", with: "")
        #expect(generated == committed, "regenerate with: creditctl rules list --markdown rules > docs/rules-coverage.md")
        #expect(committed.components(separatedBy: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| memorandum") }.count >= 12)
    }
}
