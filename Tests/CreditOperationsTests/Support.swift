import CreditRegistry
import CreditSamples
import CreditTestSupport
import FeedIngest
import Foundation
import RuleEngine
import Testing

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

    /// A registry at `dir`/credit.db holding the full commerce, tax and food feeds that
    /// ``FeedGenerator`` writes for `subjects` organisations with `seed`; each feed must ingest.
    static func generatedRegistry(subjects: Int, seed: UInt64, in dir: TemporaryDirectory) throws -> Registry {
        _ = try FeedGenerator(subjects: subjects, seed: seed).write(to: dir.url.path)
        let registry = try Registry(path: dir.path("credit.db"))
        for bureau in ["commerce", "tax", "food"] {
            let report = try FeedIngestor(registry: registry).ingest(path: dir.path("\(bureau)-0001-full.xml"))
            #expect(report.outcome == .ingested, "\(bureau)")
        }
        return registry
    }
}
