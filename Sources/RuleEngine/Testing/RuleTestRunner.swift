import CreditRegistry

/// The outcome of one in-file test.
public struct RuleTestResult: Sendable, Hashable, Codable {
    public var name: String
    /// `file:line:column` of the test.
    public var location: String
    public var passed: Bool
    /// One line per failed expectation, each starting with its `file:line:column`.
    public var failures: [String]
}

public struct RuleTestReport: Sendable, Hashable, Codable {
    public var results: [RuleTestResult]
    public var passed: Int { results.filter(\.passed).count }
    public var failed: Int { results.count - passed }
    /// `N passed, M failed`
    public var summary: String { "\(passed) passed, \(failed) failed" }
}

/// Runs the tests written inside rule files through the real compiled rule set and evaluator.
///
/// For each `expect S on DAY …` it computes ``CompiledRuleSet/decisions(for:own:related:asOf:)``
/// for S with every other subject of the test as related, and compares.
public enum RuleTestRunner {
    public static func run(_ rules: CompiledRuleSet) -> RuleTestReport {
        var results: [RuleTestResult] = []
        for t in rules.tests.sorted(by: { $0.range < $1.range }) {
            var failures: [String] = []
            let all = t.subjects.map(\.facts)
            for e in t.expectations {
                guard let own = all.first(where: { $0.code == e.code }) else { continue }
                let ds = rules.decisions(for: e.code, own: own, related: all.filter { $0.code != e.code }, asOf: e.day)
                let have = ds.map(\.measureID)
                let where_ = "\(e.range): \(e.text)"
                if e.positive && e.measures.isEmpty {
                    if !ds.isEmpty { failures.append("\(where_) — but \(e.alias) has: \(have.joined(separator: ", "))") }
                    continue
                }
                for m in e.measures {
                    let matching = ds.filter { d in
                        d.measureID == m && (e.viaCode == nil || d.causes.contains { $0.via?.organisation == e.viaCode })
                    }
                    if e.positive {
                        guard let d = matching.first else {
                            failures.append("\(where_) — '\(m)' is missing; \(e.alias) has: \(have.isEmpty ? "nothing" : have.joined(separator: ", "))")
                            continue
                        }
                        if let f = e.from, d.from != f {
                            failures.append("\(where_) — '\(m)' runs from \(d.from), not \(f)")
                        }
                        if let t = e.toVerify, d.toVerify.isEmpty == t {
                            failures.append("\(where_) — '\(m)' is \(d.toVerify.isEmpty ? "confirmed" : "to verify (\(d.toVerify.joined(separator: ", ")))")")
                        }
                        if let memo = e.under, let other = d.causes.first(where: { $0.memorandum != memo }) {
                            failures.append("\(where_) — '\(m)' also comes from \(other.memorandum) (rule \(other.ruleID))")
                        }
                        if let u = e.until, d.until != u {
                            failures.append("\(where_) — '\(m)' runs until \(d.until.map(\.description) ?? "open"), not \(u.map(\.description) ?? "open")")
                        }
                    } else if !matching.isEmpty {
                        failures.append("\(where_) — but '\(m)' applies (rule \(matching[0].ruleID), from \(matching[0].from))")
                    }
                }
            }
            results.append(RuleTestResult(name: t.name, location: t.range.description, passed: failures.isEmpty, failures: failures))
        }
        return RuleTestReport(results: results)
    }
}
