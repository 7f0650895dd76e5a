import CreditRegistry
import Foundation
@testable import RuleEngine

/// Paths and loaders shared by the tests.
enum Support {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDir.appendingPathComponent("Fixtures")
    static let rulesDir = testsDir.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules")

    static func read(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    static var shippedFiles: [SourceFile] {
        RuleSetLoader.ruleFiles(in: [rulesDir.path]).map { SourceFile(path: $0, text: read(URL(fileURLWithPath: $0))) }
    }

    static var catalogFixture: SourceFile {
        SourceFile(path: "catalog.rules", text: read(fixtures.appendingPathComponent("catalog.rules")))
    }

    static func shipped() -> CompiledRuleSet {
        let loaded = RuleSetLoader.load(sources: shippedFiles)
        precondition(loaded.ruleSet != nil, loaded.renderedDiagnostics)
        return loaded.ruleSet!
    }

    static func day(_ s: String) -> Day { try! Day(s) }
}
