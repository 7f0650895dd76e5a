import GRDB
import GRDBSQLite

/// The one-pass rebuild of the short-query index (``NameGramIndex``): read the names, compute
/// each gram's kept postings (pure, on any thread), write them in key order.
extension NameGramIndex {
    /// One posting while rebuilding: the rank key (class, former, position, length packed),
    /// then the row's rank in (name, subject code) byte order, so that postings compare as two
    /// integers.
    struct Posting {
        var packed: UInt64
        var row: UInt32

        static func < (a: Posting, b: Posting) -> Bool {
            a.packed != b.packed ? a.packed < b.packed : a.row < b.row
        }
    }

    struct GramList {
        var postings: [Posting] = []
        var cut = false
        /// With `cut`: the last kept posting; later ones are not kept.
        var bound: Posting?
    }

    /// Rebuilds `name_gram` from `name_index`, keeping the first `keep` postings of each gram.
    public static func rebuild(keep: Int = defaultKeep, in db: Database) throws {
        try write(postings(of: try names(in: db), keep: keep), in: db)
    }

    /// Every row of `name_index` (one scan in storage order).
    struct Names: Sendable {
        var codes: [String] = []
        var names: [String] = []
        var former: [Bool] = []
    }

    /// The postings a rebuild writes: the names and codes in (name, code) byte order (a
    /// posting's row number is its place there), and each gram's kept list, grams in byte order.
    struct Postings: Sendable {
        var names: [String]
        var codes: [String]
        var grams: [(text: String, list: GramList)]
    }

    /// Reads `name_index`, in storage order: one sequential scan (reading it in name order went
    /// through the name index and a table seek per row).
    static func names(in db: Database) throws -> Names {
        var rows = Names()
        let query = try db.makeStatement(sql: "SELECT subject_code, name, former FROM name_index")
        let select = query.sqliteStatement
        while true {
            let rc = sqlite3_step(select)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            rows.codes.append(sqlite3_column_text(select, 0).map { String(cString: $0) } ?? "")
            rows.names.append(sqlite3_column_text(select, 1).map { String(cString: $0) } ?? "")
            rows.former.append(sqlite3_column_int64(select, 2) != 0)
        }
        withExtendedLifetime(query) {}
        return rows
    }

    /// The postings of `rows`, keeping the first `keep` of each gram. Pure: runs on any thread.
    static func postings(of rows: Names, keep: Int) -> Postings {
        let keep = max(1, keep)
        // Rows in (name, code) byte order, as SQLite's BINARY collation orders them: a row's
        // number is its rank among equal rank keys.
        let order = rows.names.indices.sorted { a, b in
            let (na, nb) = (rows.names[a], rows.names[b])
            // Bytes, not `String ==` (which equates two Unicode forms that SQLite keeps apart).
            if !na.utf8.elementsEqual(nb.utf8) { return na.utf8.lexicographicallyPrecedes(nb.utf8) }
            return rows.codes[a].utf8.lexicographicallyPrecedes(rows.codes[b].utf8)
        }
        var names: [String] = [], codes: [String] = []
        names.reserveCapacity(order.count); codes.reserveCapacity(order.count)
        var slots: [UInt64: Int] = [:]
        var lists: [GramList] = []
        func add(_ gram: UInt64, _ p: Posting) {
            if let slot = slots[gram] {
                lists[slot].append(p, keep: keep)
            } else {
                slots[gram] = lists.count
                lists.append(GramList(postings: [p]))
            }
        }
        var scalars: [UInt32] = []
        var seen: [UInt64] = []
        for i in order {
            let name = rows.names[i]
            let former = rows.former[i]
            let row = UInt32(names.count)
            names.append(name); codes.append(rows.codes[i])
            scalars.removeAll(keepingCapacity: true)
            var length = 0
            for u in name.unicodeScalars {
                if length <= maxPosition { scalars.append(u.value) }
                length += 1
            }
            // Names are short: a linear scan finds a gram's earlier occurrence.
            seen.removeAll(keepingCapacity: true)
            for i in 0..<min(scalars.count, maxPosition) {
                let uni = UInt64(scalars[i]) << 32 | noScalar
                if !seen.contains(uni) {
                    seen.append(uni)
                    add(uni, Posting(packed: pack(i == 0 ? (length == 1 ? 0 : 1) : 2, former, i, length), row: row))
                }
                if i + 1 < scalars.count {
                    let bi = UInt64(scalars[i]) << 32 | UInt64(scalars[i + 1])
                    if !seen.contains(bi) {
                        seen.append(bi)
                        add(bi, Posting(packed: pack(i == 0 ? (length == 2 ? 0 : 1) : 2, former, i, length), row: row))
                    }
                }
            }
        }
        var grams = slots.map { (slot: $0.value, text: gramText($0.key)) }
        grams.sort { $0.text.utf8.lexicographicallyPrecedes($1.text.utf8) }
        return Postings(names: names, codes: codes, grams: grams.map { g in
            var list = lists[g.slot]
            lists[g.slot] = GramList()
            list.finish(keep: keep)
            return (g.text, list)
        })
    }

    /// Replaces `name_gram` and `name_gram_cut` with `postings`, inserted in key order.
    static func write(_ postings: Postings, in db: Database) throws {
        try db.execute(sql: "DELETE FROM name_gram; DELETE FROM name_gram_cut")
        let insert = try db.makeStatement(sql: """
            INSERT INTO name_gram (gram, class, former, position, length, name, subject_code) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let cut = try db.makeStatement(sql: "INSERT INTO name_gram_cut (gram) VALUES (?)")
        // Millions of rows: bound and stepped through the C API, in key order.
        let stmt = insert.sqliteStatement
        func bind(_ index: Int32, _ text: String) {
            var t = text
            t.withUTF8 { u in
                _ = sqlite3_bind_text(stmt, index, UnsafeRawPointer(u.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                      Int32(u.count), transient)
            }
        }
        for g in postings.grams {
            bind(1, g.text)
            for p in g.list.postings {
                let (cls, former, position, length) = unpack(p.packed)
                sqlite3_bind_int64(stmt, 2, Int64(cls)); sqlite3_bind_int64(stmt, 3, Int64(former))
                sqlite3_bind_int64(stmt, 4, Int64(position)); sqlite3_bind_int64(stmt, 5, Int64(length))
                bind(6, postings.names[Int(p.row)]); bind(7, postings.codes[Int(p.row)])
                let rc = sqlite3_step(stmt)
                sqlite3_reset(stmt)
                guard rc == SQLITE_DONE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            if g.list.cut { try cut.execute(arguments: [g.text]) }
        }
        withExtendedLifetime(insert) {}
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// The second half of a one-character gram's key (not a Unicode scalar).
    static let noScalar: UInt64 = 0x11_0000

    static func pack(_ cls: Int, _ former: Bool, _ position: Int, _ length: Int) -> UInt64 {
        UInt64(cls) << 62 | (former ? 1 << 61 : 0) | UInt64(position) << 40 | UInt64(min(length, (1 << 40) - 1))
    }

    static func unpack(_ p: UInt64) -> (Int, Int, Int, Int) {
        (Int(p >> 62), Int(p >> 61 & 1), Int(p >> 40 & 0x1F_FFFF), Int(p & ((1 << 40) - 1)))
    }

    static func gramText(_ key: UInt64) -> String {
        var s = String.UnicodeScalarView()
        if let a = Unicode.Scalar(UInt32(key >> 32)) { s.append(a) }
        if key & 0xFFFF_FFFF != noScalar, let b = Unicode.Scalar(UInt32(key & 0xFFFF_FFFF)) { s.append(b) }
        return String(s)
    }
}

extension NameGramIndex.GramList {
    /// Adds a posting; a list that reaches twice `keep` is sorted and cut back to `keep`.
    mutating func append(_ p: NameGramIndex.Posting, keep: Int) {
        if let bound, !(p < bound) { return }
        postings.append(p)
        if postings.count >= 2 * keep { finish(keep: keep) }
    }

    mutating func finish(keep: Int) {
        postings.sort(by: <)
        if postings.count > keep {
            postings.removeLast(postings.count - keep)
            cut = true
            bound = postings.last
        }
    }
}
