import CreditRegistry

/// Times the evaluation of many subjects, on one core and split over two tasks.
public enum RuleBenchmark {
    public struct Report: Sendable {
        public var subjects: Int
        public var decisions: Int
        public var singleSeconds: Double
        public var parallelSeconds: Double
        public var parallelTasks: Int

        public var text: String {
            func line(_ label: String, _ s: Double) -> String {
                let perSec = Double(subjects) / s
                let us = s * 1_000_000 / Double(subjects)
                let tenM = 10_000_000 * s / Double(subjects)
                return "\(label): \(fmt(perSec, 0)) subjects/s, \(fmt(us, 2)) µs/subject; 10M subjects ≈ \(fmt(tenM, 1)) s (target 120 s: \(tenM <= 120 ? "met" : "missed"), \(fmt(120 / tenM, 1))× margin)"
            }
            return [line("one core", singleSeconds), line("\(parallelTasks) tasks", parallelSeconds),
                    "decisions in force: \(decisions) (\(fmt(Double(decisions) / Double(max(1, subjects)), 3)) per subject)"].joined(separator: "\n")
        }

        func fmt(_ v: Double, _ places: Int) -> String {
            var p = 1.0
            for _ in 0..<places { p *= 10 }
            let r = (v * p).rounded() / p
            var s = String(r)
            if places == 0, s.hasSuffix(".0") { s.removeLast(2) }
            return s
        }
    }

    public static func run(_ rules: CompiledRuleSet, facts: [SubjectFacts], asOf: Day, tasks: Int = 2) async -> Report {
        let clock = ContinuousClock()
        // warm-up
        for f in facts.prefix(1000) { _ = rules.evaluate(f, asOf: asOf) }
        var decisions = 0
        let t0 = clock.now
        for f in facts { decisions += rules.evaluate(f, asOf: asOf).count }
        let single = clock.now - t0
        let chunk = (facts.count + tasks - 1) / max(1, tasks)
        let t1 = clock.now
        let parallelCount = await withTaskGroup(of: Int.self) { group in
            for k in 0..<tasks {
                let lo = k * chunk, hi = min(facts.count, lo + chunk)
                if lo >= hi { continue }
                group.addTask {
                    var n = 0
                    for i in lo..<hi { n += rules.evaluate(facts[i], asOf: asOf).count }
                    return n
                }
            }
            var total = 0
            for await n in group { total += n }
            return total
        }
        let parallel = clock.now - t1
        precondition(parallelCount == decisions, "parallel and single runs disagree")
        func secs(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        return Report(subjects: facts.count, decisions: decisions, singleSeconds: secs(single), parallelSeconds: secs(parallel), parallelTasks: tasks)
    }
}
