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

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs creditctl with `arguments` on a fixed day ("today" of the samples).
    static func run(_ arguments: [String], environment: [String: String] = [:], today: String = "2026-11-30") throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditctl-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let p = Process()
        p.executableURL = url
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["CREDITCTL_TODAY": today].merging(environment) { _, n in n }) { _, n in n }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                   stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// A demo registry (every sample feed, the national lists, the shipped rules activated) at `path`.
    static func demo(_ path: String) throws -> Run {
        try run(["demo", "--db", path, "--samples", packageRoot.appendingPathComponent("samples").path,
                 "--rules", packageRoot.appendingPathComponent("rules").path])
    }
}
