import Decisions

extension PostgresDecisionStore {
    package func subjectsByMeasure() throws -> [String: Int] {
        try pool.with { session in
            try Dictionary(session.query("SELECT measure, count(DISTINCT subject_code) FROM decision GROUP BY measure", "count subjects by measure")
                .map { try $0.decode((String, Int).self) }, uniquingKeysWith: +)
        }
    }
}
