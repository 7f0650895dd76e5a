import CreditRegistry
import Foundation
import GRDB

/// 双公示 facts added to the benchmark registry of ``BenchData`` for the publication benchmark:
/// a penalty for 5 % of subjects (two in three general, one in three serious, decided over
/// 2023–2026, so that some are within their publicity period on a given day and some are not)
/// and a licence for 4 %, each with its source record. Deterministic; added once.
public enum PublicBenchData {
    static func hasPenalty(_ i: Int) -> Bool { i % 20 == 4 }
    static func hasLicence(_ i: Int) -> Bool { i % 25 == 6 }

    /// Adds the facts to the registry at `path` (generated with `subjects` subjects) unless it has penalties already.
    public static func add(path: String, subjects n: Int, log: (String) -> Void) throws {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -524288")
        }
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        let started = Date()
        try queue.inDatabase { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM penalty") ?? 0 > 0 { log("public facts present"); return }
            try db.execute(sql: "BEGIN")
            try db.execute(sql: """
                INSERT INTO feed (bureau, feed_id, sequence, kind, file, digest, ingested_at)
                VALUES ('commerce', 'BENCH-PUBLIC', 1, 'full', 'bench', 'bench', '2026-11-30')
                """)
            let feed = db.lastInsertedRowID
            let record = try db.makeStatement(sql: """
                INSERT INTO record (subject_code, kind, bureau, bureau_key, operation, feed_id, line, document_number, effective_from,
                    recorded_at, content_hash, payload) VALUES (?, ?, 'commerce', ?, 'upsert', ?, ?, ?, ?, '2026-11-30T00:00:00Z', 'bench', '{}')
                """)
            let penalty = try db.makeStatement(sql: """
                INSERT INTO penalty (record_key, subject_code, document_number, decided_on, types, fine_micro_wan, severity, authority, record_id)
                VALUES (?, ?, ?, ?, '罚款', ?, ?, '市场监督管理局', ?)
                """)
            let licence = try db.makeStatement(sql: """
                INSERT INTO licence (record_key, subject_code, number, type, granted_on, valid_until, record_id) VALUES (?, ?, ?, '食品经营许可证', ?, ?, ?)
                """)
            let base = try Day("2023-01-01")
            for i in 0..<n where hasPenalty(i) || hasLicence(i) {
                let code = BenchData.code(i, of: n)
                if hasPenalty(i) {
                    let doc = "市监罚〔\(2023 + i % 4)〕\(i)号", decided = base.adding(days: (i / 20) % 1400)
                    try record.execute(arguments: [code, "penalty", "PEN-\(i)", feed, i, doc, decided.description])
                    try penalty.execute(arguments: ["commerce:PEN-\(i)", code, doc, decided.description, Int64(i % 500) * 100_000,
                                                    i % 3 == 0 ? "serious" : "general", db.lastInsertedRowID])
                }
                if hasLicence(i) {
                    let number = "JY\(i)", granted = base.adding(days: (i / 25) % 1400)
                    try record.execute(arguments: [code, "licence", "LIC-\(i)", feed, i, number, granted.description])
                    try licence.execute(arguments: ["commerce:licence:\(number)", code, number, granted.description,
                                                    granted.adding(years: 5).description, db.lastInsertedRowID])
                }
            }
            try db.execute(sql: "COMMIT")
            try db.execute(sql: "ANALYZE")
        }
        log(String(format: "public facts added in %.1f s", Date().timeIntervalSince(started)))
    }
}
