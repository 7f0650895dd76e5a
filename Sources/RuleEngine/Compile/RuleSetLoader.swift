import Foundation
import CreditRegistry

/// The outcome of loading rule files: the compiled set (nil when there are errors), every
/// diagnostic sorted by location, and the sources (to render diagnostics with their lines).
public struct LoadedRuleSet: Sendable {
    public var ruleSet: CompiledRuleSet?
    public var diagnostics: [Diagnostic]
    public var sources: [SourceFile]

    /// The diagnostics rendered with source lines and carets.
    public var renderedDiagnostics: String { DiagnosticRenderer.render(diagnostics, sources: sources) }
}

/// Reads, parses, checks and compiles rule files.
///
/// ```swift
/// let loaded = RuleSetLoader.load(paths: ["rules"])
/// print(loaded.renderedDiagnostics)
/// if let rules = loaded.ruleSet { print(rules.version) }
/// ```
public enum RuleSetLoader {
    /// Files ending in `.rules` under the given paths (directories are searched recursively),
    /// sorted; plain files are taken as given.
    public static func ruleFiles(in paths: [String]) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { out.append(p); continue }
            if isDir.boolValue {
                let base = p.hasSuffix("/") ? String(p.dropLast()) : p
                let items = (fm.enumerator(atPath: p)?.allObjects as? [String]) ?? []
                out.append(contentsOf: items.filter { $0.hasSuffix(".rules") }.map { base + "/" + $0 })
            } else {
                out.append(p)
            }
        }
        return Array(Set(out)).sorted()
    }

    /// Loads rule files and directories from disk.
    public static func load(paths: [String]) -> LoadedRuleSet {
        var sources: [SourceFile] = []
        var shown: [SourceFile] = []
        var diags: [Diagnostic] = []
        for f in ruleFiles(in: paths) {
            if let data = FileManager.default.contents(atPath: f) {
                switch RuleFileDecoder.decode(Array(data), path: f) {
                case .text(let source): sources.append(source)
                case .invalid(let d, let display): diags.append(d); shown.append(display)
                }
            } else {
                diags.append(Diagnostic("io.read", at: .fileStart(f), "cannot read '\(f)'"))
            }
        }
        if sources.isEmpty && diags.isEmpty {
            diags.append(Diagnostic("io.noFiles", at: .fileStart(paths.first ?? "."), "no .rules files found in \(paths.joined(separator: ", "))"))
        }
        var loaded = load(sources: sources)
        loaded.diagnostics = Diagnostic.sorted(diags + loaded.diagnostics)
        loaded.sources += shown
        if diags.hasErrors { loaded.ruleSet = nil }
        return loaded
    }

    /// Parses, checks and compiles rule files given as text.
    public static func load(sources: [SourceFile]) -> LoadedRuleSet {
        var asts: [FileAST] = []
        var diags: [Diagnostic] = []
        for s in sources {
            let (ast, d) = Parser.parse(s.text, file: s.path)
            asts.append(ast)
            diags.append(contentsOf: d)
        }
        let (declarations, checkDiags) = Checker.check(asts)
        // Checker errors that only follow from a syntax error in the same file are dropped.
        let brokenFiles = Set(diags.filter { $0.severity == .error }.map(\.range.file))
        diags.append(contentsOf: checkDiags.filter { !brokenFiles.contains($0.range.file) || $0.severity != .error })
        diags = Diagnostic.sorted(diags)
        guard !diags.hasErrors else { return LoadedRuleSet(ruleSet: nil, diagnostics: diags, sources: sources) }
        let canonical = asts.map { RuleFormatter.print($0) }.sorted()
        var bytes: [UInt8] = []
        for c in canonical { bytes.append(contentsOf: c.utf8); bytes.append(0) }
        let version = Digest.sha256Hex(bytes)
        do {
            let compiled = try Compiler(declarations: declarations, version: version).compile()
            return LoadedRuleSet(ruleSet: compiled, diagnostics: diags, sources: sources)
        } catch {
            return LoadedRuleSet(ruleSet: nil, diagnostics: Diagnostic.sorted(diags + [error]), sources: sources)
        }
    }
}
