import GRDB

/// A range of subject codes, `lower` inclusive and `upper` exclusive (nil: unbounded), that a
/// whole-registry stream can be limited to: a full evaluation splits the registry into such
/// ranges and reads them on several connections at once.
public struct CodeRange: Sendable, Hashable {
    public var lower: String?
    public var upper: String?

    public init(lower: String? = nil, upper: String? = nil) {
        self.lower = lower
        self.upper = upper
    }

    /// Every code.
    public static let all = CodeRange()

    /// The SQL condition on `column` (`TRUE` when unbounded), with its arguments.
    func condition(_ column: String) -> (sql: String, arguments: StatementArguments) {
        switch (lower, upper) {
        case (nil, nil): return ("TRUE", [])
        case let (l?, nil): return ("\(column) >= ?", [l])
        case let (nil, u?): return ("\(column) < ?", [u])
        case let (l?, u?): return ("\(column) >= ? AND \(column) < ?", [l, u])
        }
    }

    /// Splits the registry's subjects into ranges of about `subjects` codes each, in code order.
    public static func split(subjectsPerRange subjects: Int, in db: Database) throws -> [CodeRange] {
        let step = max(1, subjects)
        var bounds: [String] = []
        let cursor = try db.makeStatement(sql: "SELECT code FROM subject ORDER BY code")
        var n = 0
        while try cursor.step(db) {
            if n > 0 && n % step == 0 { bounds.append(cursor.text(at: 0) ?? "") }
            n += 1
        }
        var ranges: [CodeRange] = []
        var lower: String? = nil
        for b in bounds where b != lower {
            ranges.append(CodeRange(lower: lower, upper: b))
            lower = b
        }
        ranges.append(CodeRange(lower: lower, upper: nil))
        return ranges
    }
}
