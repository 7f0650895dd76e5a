import CreditTestSupport
import Foundation
import Testing

/// Runs the built `creditctl` (`<package root>/.build/debug/creditctl`, built by
/// `swift build --build-tests`) as a subprocess.
enum CreditCtlBinary {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The `creditctl` built with these tests: beside the test bundle (the test target depends
    /// on the executable, so `swift build --build-tests` builds both into the same directory).
    static let url: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("creditctl")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/creditctl")
    }()

    /// The day every CLI test runs on.
    static let today = "2025-07-10"

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The signal that ended the process, if one did.
        var killedBySignal: Int32? = nil
    }

    /// Runs creditctl with `arguments`, feeding `input` on standard input.
    static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditctl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in"), outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        try input.write(to: inURL, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let p = Process()
        p.executableURL = url
        p.arguments = arguments
        // "Today" is fixed (the samples' day after their last feed), so results do not change with the calendar.
        p.environment = ProcessInfo.processInfo.environment.merging(["CREDITCTL_TODAY": today].merging(environment) { _, new in new }) { _, new in new }
        p.standardInput = try FileHandle(forReadingFrom: inURL)
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        return Run(status: p.terminationStatus,
                   stdout: try String(contentsOf: outURL, encoding: .utf8),
                   stderr: try String(contentsOf: errURL, encoding: .utf8),
                   killedBySignal: p.terminationReason == .uncaughtSignal ? p.terminationStatus : nil)
    }
}

@Suite
struct CodeValidateTests {
    @Test func exitZeroWhenAllValid() throws {
        let r = try CreditCtlBinary.run(["code", "validate", "91350100M000100Y43", "11010519491231002X", "M000100Y-4"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("91350100M000100Y43: valid USCC"))
        #expect(r.stdout.contains("9 工商"))
        #expect(r.stdout.contains("1 企业"))
        #expect(r.stdout.contains("110105********002X"))
        #expect(!r.stdout.contains("  number             11010519491231002X"))
        #expect(r.stdout.hasSuffix("3 codes: 3 valid, 0 invalid\n"))
    }

    @Test func exitOneWhenAnyInvalid() throws {
        let r = try CreditCtlBinary.run(["code", "validate", "91350100M000100Y43", "91350100M000100Y4Z"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("91350100M000100Y4Z: INVALID USCC"))
        #expect(r.stdout.contains("position 18"))
    }

    @Test func exit64WithoutCodes() throws {
        let r = try CreditCtlBinary.run(["code", "validate"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Give at least one code"))
    }

    @Test func jsonLinesShape() throws {
        let r = try CreditCtlBinary.run(["code", "validate", "--format", "json",
                                         "91350100M000100Y43", "362322198709086409", "99110000600037341U"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }

        let uscc = objects[0]
        #expect(uscc["input"] as? String == "91350100M000100Y43")
        #expect(uscc["valid"] as? Bool == true)
        #expect(uscc["scheme"] as? String == "uscc")
        #expect(uscc["code"] as? String == "91350100M000100Y43")
        #expect(uscc["authority"] as? String == "9")
        #expect(uscc["authority_name"] as? String == "工商")
        #expect(uscc["category_name"] as? String == "企业")
        #expect(uscc["division"] as? String == "350100")
        #expect(uscc["organization_code"] as? String == "M000100Y-4")
        #expect((uscc["errors"] as? [Any])?.isEmpty == true)
        #expect((uscc["warnings"] as? [Any])?.isEmpty == true)

        let person = objects[1]
        #expect(person["scheme"] as? String == "resident_id")
        #expect(person["code"] as? String == "362322********6409")
        #expect(person["birth_date"] as? String == "1987-09-08")
        #expect(person["sex"] as? String == "female")
        let alternatives = try #require(person["alternatives"] as? [[String: Any]])
        #expect(alternatives.first?["scheme"] as? String == "uscc")
        #expect(alternatives.first?["valid"] as? Bool == false)

        let bad = objects[2]
        #expect(bad["valid"] as? Bool == false)
        let error = try #require((bad["errors"] as? [[String: Any]])?.first)
        #expect(error["code"] as? String == "identifier.category")
        #expect(error["position"] as? Int == 2)
        #expect((error["message"] as? String)?.contains("category '9' not allowed under authority '9'") == true)
    }

    @Test func unmaskShowsTheNumber() throws {
        let r = try CreditCtlBinary.run(["code", "validate", "--format", "json", "--unmask", "110105491231003"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"code\":\"110105194912310038\""))
        #expect(r.stdout.contains("\"scheme\":\"resident_id_15\""))
    }

    @Test func acceptLegacy() throws {
        let strict = try CreditCtlBinary.run(["code", "validate", "91350203M0001QKT19"])
        #expect(strict.status == 1)
        let legacy = try CreditCtlBinary.run(["code", "validate", "--accept-legacy", "--format", "json", "91350203M0001QKT19"])
        #expect(legacy.status == 0)
        #expect(legacy.stdout.contains("\"legacy_checksum\":true"))
        #expect(legacy.stdout.contains("identifier.legacyChecksum"))
    }

    @Test func stdinStreamsLineByLine() async throws {
        try await onOwnThread {
            let gen = try CreditCtlBinary.run(["code", "generate", "--count", "50000", "--seed", "7"])
            #expect(gen.status == 0)
            let codes = gen.stdout.split(separator: "\n")
            #expect(codes.count == 50_000)
            // CRLF line ends, blank lines and a last line without a line break are all handled.
            let input = codes.joined(separator: "\r\n") + "\r\n\n  \n91350100M000100Y43"
            let r = try CreditCtlBinary.run(["code", "validate", "-", "--format", "json"], input: input)
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == 50_001)
            #expect(lines.allSatisfy { $0.contains("\"valid\":true") })
            #expect(lines.last?.contains("\"input\":\"91350100M000100Y43\"") == true)
        }
    }

    @Test func stdinWithAnInvalidLineExitsOne() throws {
        let r = try CreditCtlBinary.run(["code", "validate", "-", "--format", "csv"],
                                        input: "91350100M000100Y43\n91350100M000100Y4Z\n")
        #expect(r.status == 1)
        let rows = r.stdout.split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows[0].hasPrefix("input,valid,scheme,code"))
        #expect(rows[1].hasPrefix("91350100M000100Y43,true,uscc,91350100M000100Y43,9 工商,1 企业,350100,福建,M000100Y-4"))
        #expect(rows[2].hasPrefix("91350100M000100Y4Z,false,uscc,"))
    }

    @Test func quietPrintsNothing() throws {
        let r = try CreditCtlBinary.run(["code", "validate", "-q", "-"], input: "91350100M000100Y43\nnope\n")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
    }

    @Test func generateIsDeterministic() throws {
        let a = try CreditCtlBinary.run(["code", "generate", "--count", "100", "--seed", "3", "--corrupt-ratio", "0.5"])
        let b = try CreditCtlBinary.run(["code", "generate", "--count", "100", "--seed", "3", "--corrupt-ratio", "0.5"])
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.split(separator: "\n").count == 100)
    }
}
