import CreditTestSupport
import Testing
@testable import RuleEngine

/// Mutated rule files never crash the parser, checker, compiler or formatter.
@Suite struct FuzzTests {
    @Test func mutatedShippedFilesNeverCrash() async throws {
        try await onOwnThread {
            var rng = SyntheticFacts.SplitMix(state: 20_240_601)
            let files = Support.shippedFiles
            let catalog = files.first { $0.path.hasSuffix("_catalog.rules") }!
            let pieces = ["{", "}", "(", ")", "[", "]", ",", "=", "!=", ">=", "\"", "#", "\n", " and ", " or ", " not ", "listed ", "rule ",
                          "2020-13-45", "3 years", "penalty(", "key_person legal_representative (", "中文", "999999999999999999999", "at least "]
            var parsed = 0
            for i in 0..<3000 {
                let base = files[i % files.count]
                var bytes = Array(base.text.utf8)
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    guard !bytes.isEmpty else { break }
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 4 {
                    case 0:
                        let n = min(bytes.count - at, 1 + Int(rng.next() % 12))
                        bytes.removeSubrange(at..<(at + n))
                    case 1:
                        bytes.insert(contentsOf: Array(pieces[Int(rng.next() % UInt64(pieces.count))].utf8), at: at)
                    case 2:
                        let other = Int(rng.next() % UInt64(bytes.count))
                        bytes.swapAt(at, other)
                    default:
                        let n = min(bytes.count - at, 1 + Int(rng.next() % 40))
                        let chunk = Array(bytes[at..<(at + n)])
                        bytes.insert(contentsOf: chunk, at: Int(rng.next() % UInt64(bytes.count)))
                    }
                }
                let text = String(decoding: bytes, as: UTF8.self)
                let loaded = RuleSetLoader.load(sources: [catalog, SourceFile(path: base.path + ".fuzz", text: text)])
                _ = loaded.renderedDiagnostics
                if let rs = loaded.ruleSet { _ = RuleTestRunner.run(rs) }
                if let once = RuleFormatter.format(text, path: "f.rules").text {
                    parsed += 1
                    let twice = RuleFormatter.format(once, path: "f.rules").text
                    #expect(twice == once, "formatter not idempotent on mutation \(i)")
                }
            }
            #expect(parsed > 100)
        }
    }
}
