import ArgumentParser
import Foundation
import RuleEngine

extension RulesCommand {
    /// `creditctl rules fmt [--check] PATHS…`
    struct RulesFmt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fmt",
            abstract: "Rewrite rule files in the canonical layout (comments kept).",
            discussion: "With --check, nothing is written: files that differ are listed and the exit status is 1."
        )

        @Flag(name: .long, help: "List files that are not formatted; do not write.")
        var check = false

        @Argument(help: "Rule files or directories (default: rules/).")
        var paths: [String] = ["rules"]

        func run() throws {
            var failed = false
            for path in RuleSetLoader.ruleFiles(in: paths) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read"); failed = true; continue
                }
                let source: String
                switch RuleFileDecoder.decode(Array(data), path: path) {
                case .text(let file): source = file.text
                case .invalid(let d, let display):
                    print(DiagnosticRenderer.render([d], sources: [display]), terminator: "")
                    failed = true
                    continue
                }
                let (formatted, diags) = RuleFormatter.format(source, path: path)
                guard let formatted else {
                    print(DiagnosticRenderer.render(diags, sources: [SourceFile(path: path, text: source)]), terminator: "")
                    failed = true
                    continue
                }
                if formatted == source { continue }
                if check {
                    print(path)
                    failed = true
                } else {
                    try formatted.write(toFile: path, atomically: true, encoding: .utf8)
                    print("formatted \(path)")
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
