import CreditOperations
import CreditTestSupport
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CreditService

/// The officers' page in a real browser: headless Chromium, driven through chromedriver by
/// `Tests/Browser/officer_page.py` (WebDriver over plain HTTP, Python's standard library), against
/// a live server. Chromium missing is a failure, never a skip: scripts/setup installs it.
extension ServiceOnSQLiteTests {
    /// Where the screenshot is kept after the run.
    static let screenshot = root.appendingPathComponent(".build/artefacts/officer-page.png")

    @Test(.timeLimit(.minutes(5)))
    func anOfficerSignsInSearchesOpensTheReportAndRecordsFeedbackInABrowser() async throws {
        let caseNumber = "稽查〔2025〕77号"
        try? FileManager.default.removeItem(at: Self.screenshot)
        let run = try await app().test(.live) { client in
            let port = try #require(client.port)
            return try await Self.runScript([
                "--url", "http://127.0.0.1:\(port)", "--token", Self.officer, "--query", "华兴",
                "--code", "91350200MA2XH1K70Y", "--department", "sat", "--case-number", caseNumber,
                "--screenshot", Self.screenshot.path,
            ], scratch: scratch)
        }
        try #require(run.status == 0, "officer_page.py failed:\n\(run.stderr)")
        let seen = json(run.stdout)
        #expect((seen["hits"] as? [String])?.contains { $0.contains("华兴") } == true, "\(run.stdout)")
        #expect((seen["who"] as? String)?.contains("officer-07") == true)
        #expect(seen["date_default"] as? String == "2025-07-10", "the feedback date defaults to the report's day, not the browser's")
        #expect((seen["applied"] as? String)?.contains(caseNumber) == true)
        #expect(seen["signed_out"] as? Bool == true)

        let png = try Data(contentsOf: Self.screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "the screenshot is a PNG")
        #expect(png.count > 10_000)
        print("officer page screenshot: \(Self.screenshot.path)")

        let measure = try #require(seen["measure"] as? String)
        let stored = try #require(try operations.feedback(of: "91350200MA2XH1K70Y"))
        #expect(stored.contains { $0.caseNumber == caseNumber && $0.measure == measure && $0.department == "sat" && $0.officer == "api:officer-07" })
        let audit = try operations.audit.entries(subject: "91350200MA2XH1K70Y")
        #expect(audit.contains { $0.actor == "api:officer-07" && $0.action == "lookup" })
        #expect(audit.contains { $0.action == "feedback" })
    }

    /// Runs the WebDriver script with python3; its output is collected in files (no pipe to fill),
    /// and the test waits for its exit without polling.
    static func runScript(_ arguments: [String], scratch: TemporaryDirectory) async throws -> (status: Int32, stdout: String, stderr: String) {
        let script = root.appendingPathComponent("Tests/Browser/officer_page.py").path
        let out = URL(fileURLWithPath: scratch.path("browser.out")), err = URL(fileURLWithPath: scratch.path("browser.err"))
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch { process.terminationHandler = nil; continuation.resume(throwing: error) }
            }
        } onCancel: {
            if process.isRunning { process.terminate() }   // the script kills chromedriver and the browser on SIGTERM
        }
        return (status, String(decoding: try Data(contentsOf: out), as: UTF8.self), String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
