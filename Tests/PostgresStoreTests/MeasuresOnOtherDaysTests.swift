import CreditQuery
import CreditRegistry
import CreditTestSupport
import Decisions
import Foundation
import GRDB
@testable import PostgresStore
import Testing

/// A measures look-up on PostgreSQL for a day other than the decision table's evaluates the
/// active rule set on the fly and answers as the SQLite registry it was copied from does.
@Suite(.serialized)
struct MeasuresOnOtherDaysTests {
    @Test func otherDaysAreEvaluatedOnTheFlyAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-measures-days")
            let demo = try DemoOnPostgres(scratch)
            let registry = try Registry(path: demo.db)
            let lookup = MeasuresLookup(registry: registry, decisions: try RuleDecisionProvider.active(registry: registry))
            let codes = try registry.read { db in
                try String.fetchAll(db, sql: """
                    SELECT code FROM subject WHERE code IN (SELECT subject_code FROM decision) OR code IN (SELECT to_code FROM relation)
                    ORDER BY code
                    """)
            }
            #expect(codes.count > 10)
            let pool = PostgresSessionPool(location: try PostgresLocation(url: demo.url))
            defer { pool.close() }
            let reading = PostgresRegistryReading(pool: pool)
            var evaluated = 0
            for text in ["2019-03-01", "2024-06-30", "2026-11-30", "2028-01-01"] {
                let day = try Day(text)
                let answers = try reading.lookUpMeasures(codes.map { MeasuresQuery(identifier: $0, asOf: day, maySeePersonalIDs: true) })
                for (code, answer) in zip(codes, answers) {
                    let onPostgres = try answer.get()
                    let onSQLite = try lookup.lookUp(code, asOf: day, maySeePersonalIDs: true)
                    #expect(onPostgres?.measures == onSQLite?.measures, "\(code) on \(day)")
                    #expect(onPostgres?.code == onSQLite?.code && onPostgres?.status == onSQLite?.status)
                    if text != "2026-11-30" { evaluated += onPostgres?.measures.count ?? 0 }
                }
            }
            #expect(evaluated > 0, "measures were evaluated on other days")
        }
    }
}
