import Foundation

/// Copies of the shipped rule files with one in-file expectation turned false, for tests that a
/// rule set whose tests fail is refused.
public enum FailingRuleSet {
    /// Copies every `.rules` file of `source` into `destination`, turning the first
    /// `expect S on DAY has M…` (no dates) into `lacks M…`: the measure is there, so that test
    /// fails. Returns false when no such expectation was found.
    public static func copy(from source: URL, to destination: URL) throws -> Bool {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        var flipped = false
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() where file.hasSuffix(".rules") {
            var text = try String(contentsOf: source.appendingPathComponent(file), encoding: .utf8)
            if !flipped, let line = text.range(of: #"(?m)^\s*expect \S+ on \S+ has (?!nothing)[a-z_]+(, [a-z_]+)*$"#, options: .regularExpression),
               let has = text.range(of: " has ", range: line) {
                text.replaceSubrange(has, with: " lacks ")
                flipped = true
            }
            try text.write(to: destination.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        return flipped
    }
}
