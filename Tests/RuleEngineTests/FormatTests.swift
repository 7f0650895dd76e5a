import Testing
@testable import RuleEngine

@Suite struct FormatTests {
    @Test func shippedFilesAreCanonicalAndIdempotent() throws {
        let files = Support.shippedFiles
        #expect(files.count >= 7)
        for f in files {
            let (once, d1) = RuleFormatter.format(f.text, path: f.path)
            let formatted = try #require(once, "\(d1)")
            #expect(formatted == f.text, "\(f.path) is not in canonical layout")
            let (twice, _) = RuleFormatter.format(formatted, path: f.path)
            #expect(twice == formatted)
            // parse → print → parse gives the same tree shape
            let (a, _) = Parser.parse(f.text, file: f.path)
            let (b, _) = Parser.parse(formatted, file: f.path)
            #expect(RuleFormatter.print(a) == RuleFormatter.print(b))
        }
    }

    @Test func messyFileKeepsCommentsAndIsIdempotent() throws {
        let src = Support.read(Support.fixtures.appendingPathComponent("messy.rules"))
        let once = try #require(RuleFormatter.format(src, path: "messy.rules").text)
        let twice = try #require(RuleFormatter.format(once, path: "messy.rules").text)
        #expect(once == twice)
        for c in ["# header comment", "# the memorandum", "# trailing on open", "# the date", "# before signatories",
                  "# comment in rule", "# closing comment", "# after rule", "# trailing file comment"] {
            #expect(once.contains(c), "lost \(c)")
        }
        #expect(once.contains("  punish when listed l1 and (kind = enterprise or kind = individual_business) and not status = revoked\n"))
        #expect(once.contains("  date 2020-01-01 # the date\n"))
        #expect(once.hasPrefix("# header comment\n\n# the memorandum\nmemorandum \"测试〔2020〕1号\" { # trailing on open\n"))
    }

    @Test func formatterRefusesBrokenFiles() {
        let (text, diags) = RuleFormatter.format("rule r1 { punish when }", path: "x.rules")
        #expect(text == nil)
        #expect(diags.contains { $0.code == "parse.expected" })
    }
}
