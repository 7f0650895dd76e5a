import CreditTestSupport
import Foundation
import Testing
@testable import CreditRegistry

/// Differential test against python-stdnum 2.x (`stdnum.cn.uscc`, `stdnum.cn.ric`).
///
/// The two implementations agree wherever the standard and stdnum agree; the known
/// disagreements (DOMAIN §1.9) are asserted explicitly:
/// - USCC: stdnum rejects every code whose first eight characters are not digits (authorities
///   A, N, Y); stdnum does not check authority codes, (authority, category) pairs or the
///   embedded GB 11714 check, so it accepts codes we reject for exactly those reasons.
/// - Resident ID: stdnum checks the birth place against its own county table (we only check
///   the shape), does not reject future birth dates, and rejects the 15-digit form. For some
///   address codes (a prefecture listed without counties) stdnum 2.2's `get_birth_place`
///   raises `KeyError` instead of a validation error; counted apart.
///
/// python3 with stdnum is required: CI installs it (scripts/setup); a missing interpreter or
/// module fails this test rather than skipping it.
@Suite struct StdnumDifferentialTests {
    static let script = #"""
    import sys
    try:
        from stdnum.cn import uscc, ric
        from stdnum.exceptions import ValidationError
    except ImportError as e:
        sys.stderr.write('python-stdnum is not installed: %s\n' % e)
        sys.exit(3)

    def verdict(mod, number):
        try:
            mod.validate(number)
            return 'valid'
        except ValidationError as e:
            return type(e).__name__
        except Exception as e:
            # stdnum 2.2 raises KeyError from ric.get_birth_place for some division codes
            return 'Crash' + type(e).__name__

    def ric_verdict(number):
        v = verdict(ric, number)
        if v == 'InvalidComponent':
            try:
                ric.get_birth_date(number)
                return 'InvalidPlace'
            except ValidationError:
                return 'InvalidDate'
        return v

    out = sys.stdout
    for line in sys.stdin:
        kind, number = line.rstrip('\n').split(' ', 1)
        out.write((verdict(uscc, number) if kind == 'U' else ric_verdict(number)) + '\n')
    """#

    struct Sample { var kind: Character; var text: String }

    /// Valid codes of every pair, corrupted ones, codes with a wrong pair or organisation-code
    /// check but a right USCC check character, random strings; valid and corrupted IDs.
    static func samples(count: Int, seed: UInt64) -> [Sample] {
        var gen = CodeGenerator(seed: seed)
        var rng = SeededRandom(seed: seed ^ 0xABCDEF)
        let symbols = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        func withCheck(_ first17: String) -> String {
            first17 + String(CreditCode.checkCharacter(for: first17) ?? "0")
        }
        // County codes in force since before 1930 and still in stdnum's table, so that most
        // valid IDs are valid for stdnum too; one in three gets a random division instead.
        let counties = [110101, 110102, 310101, 320102, 330102, 340102, 350102, 370102, 420102, 440103, 510104, 610102]
        func realDivision() -> DivisionCode? {
            Int.random(in: 0..<3, using: &rng) == 0 ? nil
                : DivisionCode(digits: counties[Int.random(in: 0..<counties.count, using: &rng)])
        }
        var out: [Sample] = []
        out.reserveCapacity(count)
        while out.count < count {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0, 1:
                out.append(Sample(kind: "U", text: gen.creditCode().description))
            case 2, 3:
                out.append(Sample(kind: "U", text: gen.corrupt(gen.creditCode().description)))
            case 4:
                // any two digits in front, right USCC check: exercises the pair table
                let code = gen.creditCode().description
                let pair = "\(Int.random(in: 0..<10, using: &rng))\(Int.random(in: 0..<10, using: &rng))"
                out.append(Sample(kind: "U", text: withCheck(pair + code.dropFirst(2).prefix(15))))
            case 5:
                // a 91 code with a random position 17, right USCC check: exercises GB 11714
                let code = gen.creditCode(category: OrganizationCategory(authority: .marketRegulation, code: "1")).description
                let p17 = symbols[Int.random(in: 0..<symbols.count, using: &rng)]
                out.append(Sample(kind: "U", text: withCheck(String(code.prefix(16)) + String(p17))))
            case 6:
                // random: 8 digits then 10 symbols
                var s = ""
                for _ in 0..<8 { s.append(symbols[Int.random(in: 0..<10, using: &rng)]) }
                for _ in 0..<10 { s.append(symbols[Int.random(in: 0..<symbols.count, using: &rng)]) }
                out.append(Sample(kind: "U", text: s))
            case 7:
                out.append(Sample(kind: "R", text: gen.residentID(division: realDivision()).description))
            default:
                out.append(Sample(kind: "R", text: gen.corrupt(gen.residentID(division: realDivision()).description)))
            }
        }
        return out
    }

    static func runStdnum(_ samples: [Sample]) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stdnum-diff-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scriptURL = dir.appendingPathComponent("verdicts.py")
        let inputURL = dir.appendingPathComponent("codes.txt")
        let outputURL = dir.appendingPathComponent("verdicts.txt")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        try samples.map { "\($0.kind) \($0.text)" }.joined(separator: "\n").appending("\n")
            .write(to: inputURL, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", scriptURL.path]
        p.standardInput = try FileHandle(forReadingFrom: inputURL)
        p.standardOutput = try FileHandle(forWritingTo: outputURL)
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw StdnumUnavailable(message: "python3 with python-stdnum is required for this test "
                + "(pip install python-stdnum); exit \(p.terminationStatus): \(errText)")
        }
        return try String(contentsOf: outputURL, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    struct StdnumUnavailable: Error, CustomStringConvertible { var message: String; var description: String { message } }

    @Test func agreesWithPythonStdnum() async throws {
        try await onOwnThread {
            let samples = Self.samples(count: 120_000, seed: 20_250_101)
            let verdicts: [String]
            do { verdicts = try Self.runStdnum(samples) } catch {
                Issue.record("\(error)")
                return
            }
            try #require(verdicts.count == samples.count, "stdnum printed \(verdicts.count) verdicts for \(samples.count) codes")

            var tally: [String: Int] = [:]
            var mismatches: [String] = []
            func note(_ key: String) { tally[key, default: 0] += 1 }
            func mismatch(_ s: Sample, _ theirs: String, _ ours: String) {
                if mismatches.count < 20 { mismatches.append("\(s.kind) \(s.text): stdnum \(theirs), ours \(ours)") }
            }
            let today = Day.today()

            for (s, theirs) in zip(samples, verdicts) {
                if s.kind == "U" {
                    let ours = Result { () throws(IdentifierError) in try CreditCode(validating: s.text) }
                    let first8Digits = s.text.utf8.count == 18 && s.text.utf8.prefix(8).allSatisfy { $0 >= 48 && $0 <= 57 }
                    switch ours {
                    case .success:
                        if first8Digits {
                            note("uscc both valid")
                            if theirs != "valid" { mismatch(s, theirs, "valid") }
                        } else {
                            // A/N/Y: valid by the standard, InvalidFormat for stdnum
                            note("uscc A/N/Y: ours valid, stdnum invalid")
                            if theirs != "InvalidFormat" { mismatch(s, theirs, "valid") }
                        }
                    case .failure(let e):
                        switch (e.reason, theirs) {
                        case (_, "valid"):
                            switch e.reason {
                            case .unknownAuthority: note("uscc unknown authority: ours invalid, stdnum valid")
                            case .categoryNotAllowed: note("uscc pair not allowed: ours invalid, stdnum valid")
                            case .organizationCodeCheck: note("uscc 91 GB 11714 check: ours invalid, stdnum valid")
                            default: mismatch(s, theirs, e.description)
                            }
                        case (.wrongLength, let t):
                            note("uscc both invalid")
                            if t != "InvalidLength" { mismatch(s, t, e.description) }
                        case (.wrongCheckCharacter, let t) where first8Digits:
                            note("uscc both invalid")
                            if t != "InvalidChecksum" { mismatch(s, t, e.description) }
                        default:
                            note("uscc both invalid")
                        }
                    }
                } else {
                    let ours = Result { () throws(IdentifierError) in try ResidentID(validating: s.text, today: today) }
                    switch (ours, theirs) {
                    case (.success, "valid"): note("ric both valid")
                    case (.success, "InvalidPlace"): note("ric birth place not in stdnum's table: ours valid, stdnum invalid")
                    case (.success, "CrashKeyError"): note("ric stdnum crashes in get_birth_place (KeyError): ours valid")
                    case (.success(let id), "InvalidLength") where id.isConvertedFromLegacyForm: note("ric 15-digit: ours valid, stdnum invalid")
                    case (.success, let t): mismatch(s, t, "valid")
                    case (.failure(let e), "valid"):
                        if case .birthDateInFuture = e.reason { note("ric future birth date: ours invalid, stdnum valid") } else { mismatch(s, theirs, e.description) }
                    case (.failure(let e), let t):
                        note("ric both invalid")
                        switch e.reason {
                        case .wrongCheckCharacter: if t != "InvalidChecksum" { mismatch(s, t, e.description) }
                        case .wrongLength: if t != "InvalidLength" { mismatch(s, t, e.description) }
                        case .birthDateNotADate: if t != "InvalidChecksum" && t != "InvalidDate" { mismatch(s, t, e.description) }
                        default: break
                        }
                    }
                }
            }
            if ProcessInfo.processInfo.environment["STDNUM_DIFF_VERBOSE"] != nil {
                for (k, v) in tally.sorted(by: { $0.key < $1.key }) { print("\(v)\t\(k)") }
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
            // Every population and every known disagreement was exercised.
            for key in ["uscc both valid", "uscc both invalid", "uscc A/N/Y: ours valid, stdnum invalid",
                        "uscc pair not allowed: ours invalid, stdnum valid", "uscc 91 GB 11714 check: ours invalid, stdnum valid",
                        "ric both valid", "ric both invalid", "ric birth place not in stdnum's table: ours valid, stdnum invalid"] {
                #expect(tally[key, default: 0] > 0, "no sample for: \(key)")
            }
            #expect(tally.values.reduce(0, +) == samples.count)
        }
    }
}
