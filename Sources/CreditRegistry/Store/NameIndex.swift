import GRDB

/// The searchable copy of subjects' names (`name_index` and its FTS5 trigram index), kept in
/// step with `subject_name` by triggers; bulk loads suspend the triggers and rebuild once.
public enum NameIndex {
    /// Drops the triggers that keep the name index in step, for a bulk load of names; call
    /// ``rebuild(in:)`` afterwards (in the same or a later transaction).
    public static func suspendIndexing(in db: Database) throws {
        for t in RegistryMigrations.nameIndexTriggerNames + NameGramIndex.triggerNames {
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(t)")
        }
    }

    /// Rebuilds `name_index`, the trigram index and the short-query index (``NameGramIndex``)
    /// from `subject_name` and re-creates the triggers. The trigram index is built with FTS5's
    /// automatic merging off (one `optimize` merges its segments once) and left with the default
    /// (`automerge` 4) for the row-by-row updates that follow.
    public static func rebuild(in db: Database) throws {
        try suspendIndexing(in: db)
        try db.execute(sql: """
            DELETE FROM name_index;
            DROP INDEX IF EXISTS name_index_name;
            INSERT INTO name_index (subject_code, name, former)
                SELECT subject_code, name, valid_to IS NOT NULL FROM subject_name ORDER BY subject_code, name;
            CREATE INDEX name_index_name ON name_index(name);
            """)
        // The short-query index's postings are computed on another thread while this one
        // rebuilds the trigram index (the connection does one thing at a time; a core would idle).
        let names = try NameGramIndex.names(in: db)
        let postings = BackgroundComputation { NameGramIndex.postings(of: names, keep: NameGramIndex.defaultKeep) }
        try db.execute(sql: """
            INSERT INTO name_fts(name_fts, rank) VALUES ('automerge', 0);
            INSERT INTO name_fts(name_fts) VALUES ('rebuild');
            INSERT INTO name_fts(name_fts) VALUES ('optimize');
            INSERT INTO name_fts(name_fts, rank) VALUES ('automerge', 4);
            """)
        try db.execute(sql: RegistryMigrations.nameIndexTriggers)
        try NameGramIndex.write(postings.wait(), in: db)
        try db.execute(sql: NameGramIndex.triggers)
        try sampleTrigrams(in: db)
    }

    /// Samples up to `sample` names and records the trigrams found in at least 0.5% of them, and
    /// cuts short-query posting lists that grew long (``NameGramIndex/trim(keep:in:)``).
    /// ``rebuild(in:)`` leaves the index in that state; call this after large ingests that used
    /// the triggers.
    public static func refreshStatistics(sample: Int = 100_000, in db: Database) throws {
        try NameGramIndex.trim(in: db)
        try sampleTrigrams(sample: sample, in: db)
    }

    static func sampleTrigrams(sample: Int = 100_000, in db: Database) throws {
        let total = try Int.fetchOne(db, sql: "SELECT max(id) FROM name_index") ?? 0
        guard total > 0 else { return }
        let step = max(1, total / sample)
        // Trigrams of Unicode scalars, as FTS5's trigram tokenizer and the search's query plan
        // split names, packed three scalars (21 bits each) to a key.
        var counts: [UInt64: Int] = [:]
        var seen = 0
        var scalars: [UInt64] = []
        var grams = Set<UInt64>()
        let cursor = try String.fetchCursor(db, sql: "SELECT name FROM name_index WHERE id % ? = 0", arguments: [step])
        while let name = try cursor.next() {
            seen += 1
            scalars.removeAll(keepingCapacity: true)
            for u in name.unicodeScalars { scalars.append(UInt64(u.value)) }
            guard scalars.count >= 3 else { continue }
            grams.removeAll(keepingCapacity: true)
            for i in 0...(scalars.count - 3) { grams.insert(scalars[i] << 42 | scalars[i + 1] << 21 | scalars[i + 2]) }
            for g in grams { counts[g, default: 0] += 1 }
        }
        try db.execute(sql: "DELETE FROM name_trigram_common")
        let insert = try db.cachedStatement(sql: "INSERT INTO name_trigram_common (term, share) VALUES (?, ?)")
        for (g, n) in counts where Double(n) >= Double(seen) * 0.005 {
            var term = String.UnicodeScalarView()
            for shift: UInt64 in [42, 21, 0] { if let u = Unicode.Scalar(UInt32(g >> shift & 0x1F_FFFF)) { term.append(u) } }
            try insert.execute(arguments: [String(term), Double(n) / Double(seen)])
        }
    }

}
