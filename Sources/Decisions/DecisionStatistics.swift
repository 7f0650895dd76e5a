import CreditRegistry
import RuleEngine
import GRDB

/// Summaries of the materialised `decision` table for operators (`rules list`, the demo).
public struct DecisionStatistics: Sendable {
    public let registry: Registry
    public init(registry: Registry) { self.registry = registry }

    /// One subject under measures: how many punishments and incentives, from which memoranda.
    public struct SubjectMeasures: Sendable, Codable, Hashable, FetchableRecord {
        public var code: String
        public var kind: SubjectKind
        public var name: String
        public var punishments: Int
        public var incentives: Int
        /// Comma-separated memorandum numbers.
        public var memoranda: String
    }

    /// Distinct subjects per measure.
    public func subjectsByMeasure() throws -> [String: Int] {
        try registry.read { db in
            try Dictionary(Row.fetchAll(db, sql: "SELECT measure, COUNT(DISTINCT subject_code) FROM decision GROUP BY measure")
                .map { ($0[0] as String, $0[1] as Int) }, uniquingKeysWith: +)
        }
    }

    /// Every subject with at least one decision: organisations first, then persons, by code.
    public func subjectsUnderMeasures() throws -> [SubjectMeasures] {
        try registry.read { db in
            try SubjectMeasures.fetchAll(db, sql: """
                SELECT s.code, s.kind, s.name,
                       SUM(d.kind = 'punishment') AS punishments, SUM(d.kind = 'incentive') AS incentives,
                       COALESCE(GROUP_CONCAT(DISTINCT d.memorandum), '') AS memoranda
                FROM decision d JOIN subject s ON s.code = d.subject_code
                GROUP BY s.code ORDER BY s.kind = 'natural_person', s.code
                """)
        }
    }
}
