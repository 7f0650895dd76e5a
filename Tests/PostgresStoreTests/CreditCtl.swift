import CreditTestSupport
import Foundation

/// Runs the built `creditctl` (beside the test bundle) as a subprocess.
enum CreditCtl {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let url: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("creditctl")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/creditctl")
    }()

    /// Runs creditctl with `arguments` on a fixed day ("today" of the samples).
    static func run(_ arguments: [String], environment: [String: String] = [:], today: String = "2026-11-30") throws -> ProcessOutput {
        let env = ProcessInfo.processInfo.environment.merging(["CREDITCTL_TODAY": today].merging(environment) { _, n in n }) { _, n in n }
        return try FileOutputProcess.run(url, arguments, environment: env)
    }

    /// A demo registry (every sample feed, the national lists, the shipped rules activated) at `path`.
    static func demo(_ path: String) throws -> ProcessOutput {
        try run(["demo", "--db", path, "--samples", packageRoot.appendingPathComponent("samples").path,
                 "--rules", packageRoot.appendingPathComponent("rules").path])
    }
}
