import CreditRegistry
import Foundation
import RuleEngine

/// The shipped rules and the package root, for tests over a real registry.
enum Support {
    static let rulesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules")

    static var shippedFiles: [SourceFile] {
        RuleSetLoader.ruleFiles(in: [rulesDir.path]).map { path in
            SourceFile(path: path, text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
        }
    }

    static func shipped() -> CompiledRuleSet {
        let loaded = RuleSetLoader.load(sources: shippedFiles)
        guard let rules = loaded.ruleSet else { fatalError(loaded.renderedDiagnostics) }
        return rules
    }

    static func day(_ s: String) -> Day {
        guard let d = try? Day(s) else { fatalError("not a day: \(s)") }
        return d
    }
}
