import Foundation
import Testing
@testable import RuleEngine

/// Rule files as bytes: invalid UTF-8 refused where it is, a byte-order mark accepted, and
/// diagnostics bounded however long the line and however many the errors.
@Suite struct RuleFileInputTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rule-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for file in Support.shippedFiles {
            try Data(file.text.utf8).write(to: dir.appendingPathComponent((file.path as NSString).lastPathComponent))
        }
    }

    func replace(_ name: String, _ transform: ([UInt8]) -> [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(transform(Array(try Data(contentsOf: url)))).write(to: url)
        return url.path
    }

    var someFile: String {
        Support.shippedFiles.map { ($0.path as NSString).lastPathComponent }.first { !$0.contains("catalog") && !$0.hasPrefix("_") }!
    }

    /// A byte that is not UTF-8 inside a string literal used to pass `rules check`.
    @Test func item4_invalidUTF8InsideAStringIsRefusedWithLineAndColumn() throws {
        let name = someFile
        var line = 0, column = 0
        let path = try replace(name) { bytes in
            var b = bytes
            let quote = b.firstIndex(of: 0x22)!            // the first string literal
            b.insert(0xFF, at: quote + 1)
            let before = b[0..<(quote + 1)]
            line = before.filter { $0 == 0x0A }.count + 1
            let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            column = b[lineStart..<(quote + 1)].filter { $0 & 0xC0 != 0x80 }.count + 1
            return b
        }
        let loaded = RuleSetLoader.load(paths: [dir.path])
        #expect(loaded.ruleSet == nil)
        let d = try #require(loaded.diagnostics.first { $0.code == "io.encoding" })
        #expect(d.range.file == path && d.range.start.line == line && d.range.start.column == column)
        #expect(loaded.renderedDiagnostics.contains("\(path):\(line):\(column): error[io.encoding]: invalid UTF-8 byte 0xFF"),
                "\(loaded.renderedDiagnostics)")
    }

    @Test func item4_aUTF8ByteOrderMarkIsAccepted() throws {
        let plain = RuleSetLoader.load(paths: [dir.path])
        let version = try #require(plain.ruleSet?.version, "\(plain.renderedDiagnostics)")
        _ = try replace(someFile) { [0xEF, 0xBB, 0xBF] + $0 }
        let withBOM = RuleSetLoader.load(paths: [dir.path])
        #expect(withBOM.ruleSet?.version == version, "\(withBOM.renderedDiagnostics)")
    }

    /// A 12 KB line with thousands of errors used to print 48 MB (the whole line under each).
    @Test func item4_aLongLineWithThousandsOfErrorsPrintsABoundedAmount() throws {
        let line = String(repeating: "$ ", count: 6_000)                    // 12 KB, an error per character
        let path = dir.appendingPathComponent("zz-long.rules").path
        try Data(line.utf8).write(to: URL(fileURLWithPath: path))
        let loaded = RuleSetLoader.load(paths: [path])
        let rendered = loaded.renderedDiagnostics
        #expect(loaded.diagnostics.count > DiagnosticRenderer.perFile)
        #expect(rendered.utf8.count < 64 * 1024, "\(rendered.utf8.count) bytes")
        #expect(rendered.split(separator: "\n").allSatisfy { $0.count <= DiagnosticRenderer.window + 200 })
        #expect(rendered.contains("… and \(loaded.diagnostics.count - DiagnosticRenderer.perFile) more in \(path)"), "\(rendered.suffix(300))")
    }

    /// The window keeps the caret under the offending text, with `…` where the line is cut.
    @Test func item4_theWindowKeepsTheCaretUnderTheColumn() {
        let text = String(repeating: "a", count: 500) + "XYZ" + String(repeating: "b", count: 500)
        let start = SourcePosition(line: 1, column: 501, offset: 500), end = SourcePosition(line: 1, column: 504, offset: 503)
        let d = Diagnostic("test.x", at: SourceRange(file: "f.rules", start: start, end: end), "here")
        let lines = DiagnosticRenderer.render([d], sources: [SourceFile(path: "f.rules", text: text)]).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let shown = lines[1], caret = lines[2]
        #expect(shown.contains("…") && shown.hasSuffix("…") && shown.count < 120)
        let xyz = shown.range(of: "XYZ")!
        let caretAt = caret.firstIndex(of: "^")!
        #expect(shown.distance(from: shown.startIndex, to: xyz.lowerBound) == caret.distance(from: caret.startIndex, to: caretAt))
        #expect(caret.hasSuffix("^~~"))
    }

    /// Byte-level mutations (invalid UTF-8, byte-order marks, cut characters) through the
    /// decoder, the parser and checker, and the renderer: no crash, every error placed inside the
    /// file, output bounded.
    @Test func item4_mutatedRuleFileBytesAreLoadedOrRefusedWithAPosition() {
        var rng = SyntheticFacts.SplitMix(state: 20_261_130)
        let files = Support.shippedFiles
        let catalog = files.first { $0.path.hasSuffix("_catalog.rules") }!
        let pieces: [[UInt8]] = [[0xFF], [0x80], [0xE4, 0xB8], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0x22], [0x0A], [0x00]]
        for i in 0..<600 {
            var bytes = Array(files[i % files.count].text.utf8)
            for _ in 0..<(1 + Int(rng.next() % 3)) where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes.insert(contentsOf: pieces[Int(rng.next() % UInt64(pieces.count))], at: at)
                case 1: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                default: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 8)))
                }
            }
            let path = "fuzz-\(i).rules"
            let lineCount = bytes.filter { $0 == 0x0A }.count + 1
            switch RuleFileDecoder.decode(bytes, path: path) {
            case .text(let source):
                let loaded = RuleSetLoader.load(sources: [catalog, source])
                for d in loaded.diagnostics where d.range.file == path {
                    #expect(d.range.start.line >= 1 && d.range.start.line <= lineCount, "case \(i): \(d)")
                }
                #expect(loaded.renderedDiagnostics.utf8.count < 256 * 1024)
            case .invalid(let d, let display):
                #expect(d.code == "io.encoding" && d.range.start.line >= 1 && d.range.start.line <= lineCount, "case \(i): \(d)")
                #expect(DiagnosticRenderer.render([d], sources: [display]).contains("\(path):\(d.range.start.line):\(d.range.start.column)"))
            }
        }
    }
}
