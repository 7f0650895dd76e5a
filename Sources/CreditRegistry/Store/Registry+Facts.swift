import GRDB

extension Registry {
    /// The facts of one subject as known on `asOf`: facts that began after that day are left
    /// out, and ends (exits, role changes, repairs, revocations) after it are not yet known.
    /// With `asOf` nil, the whole history is returned.
    public func facts(of code: String, asOf: Day? = nil) throws -> SubjectFacts? {
        try writer.read { db in try facts(of: code, asOf: asOf, in: db) }
    }

    /// ``facts(of:asOf:)`` inside an existing transaction.
    public func facts(of code: String, asOf: Day? = nil, in db: Database) throws -> SubjectFacts? {
        guard let s = try subject(code: code, in: db) else { return nil }
        let cut = asOf ?? Day(ordinal: Int.max / 4)
        func day(_ row: Row, _ col: String) throws -> Day? { try Day.stored(row[col], table: "facts", column: col, row: code) }
        /// An end known on the as-of day, else nil.
        func end(_ d: Day?) -> Day? { d.flatMap { $0 <= cut ? $0 : nil } }

        var status = s.status
        var statusSince = s.statusSince
        if asOf != nil {
            let hist = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT status, since FROM status_history WHERE subject_code = ? AND since <= ? ORDER BY since DESC LIMIT 1
                """), arguments: [code, cut.description])
            if let h = hist.first {
                status = SubjectStatus(rawValue: h["status"]) ?? status
                statusSince = try day(h, "since")
            } else if let since = s.statusSince, since > cut {
                status = .active; statusSince = nil
            }
        }

        let lists = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT list, entered_on, exited_on, ground, entry_record, exit_record FROM list_entry
            WHERE subject_code = ? AND entered_on <= ? ORDER BY entered_on, list
            """), arguments: [code, cut.description]).compactMap { row -> ListEntryFact? in
            guard let entered = try day(row, "entered_on") else { return nil }
            let exited = end(try day(row, "exited_on"))
            var ids: [Int64] = [row["entry_record"]]
            if exited != nil, let x = row["exit_record"] as Int64? { ids.append(x) }
            return ListEntryFact(list: row["list"], enteredOn: entered, exitedOn: exited, ground: row["ground"], recordIDs: ids)
        }

        let grades = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT year, grade, published_on, record_id FROM tax_grade WHERE subject_code = ? AND published_on <= ? ORDER BY year
            """), arguments: [code, cut.description]).compactMap { row -> TaxGradeFact? in
            guard let g = TaxGrade(rawValue: row["grade"]), let p = try day(row, "published_on") else { return nil }
            return TaxGradeFact(year: row["year"], grade: g, publishedOn: p, recordID: row["record_id"])
        }

        let penalties = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM penalty WHERE subject_code = ? AND decided_on <= ? ORDER BY decided_on, document_number
            """), arguments: [code, cut.description]).compactMap { row -> PenaltyFact? in
            guard let decided = try day(row, "decided_on") else { return nil }
            let types = (row["types"] as String).split(separator: ";").map(String.init)
            return PenaltyFact(documentNumber: row["document_number"], decidedOn: decided, types: types,
                               fineMicroWan: row["fine_micro_wan"], severity: PenaltySeverity(rawValue: row["severity"]) ?? .general,
                               authority: row["authority"] ?? "", publicityEnd: try day(row, "publicity_end"),
                               repairedOn: end(try day(row, "repaired_on")), revokedOn: end(try day(row, "revoked_on")), recordID: row["record_id"])
        }

        let licences = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM licence WHERE subject_code = ? AND granted_on <= ? ORDER BY granted_on, number
            """), arguments: [code, cut.description]).compactMap { row -> LicenceFact? in
            guard let granted = try day(row, "granted_on") else { return nil }
            return LicenceFact(number: row["number"], type: row["type"], grantedOn: granted, validUntil: try day(row, "valid_until"),
                               revokedOn: end(try day(row, "revoked_on")), recordID: row["record_id"])
        }

        func relations(_ sql: String) throws -> [RelationFact] {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [code, cut.description]).compactMap { row in
                guard let role = RelationRole(rawValue: row["role"]), let from = try day(row, "valid_from") else { return nil }
                return RelationFact(role: role, from: row["from_code"], to: row["to_code"], validFrom: from,
                                    validTo: end(try day(row, "valid_to")), recordID: row["record_id"] ?? 0)
            }
        }
        let keyPersons = try relations("""
            SELECT * FROM relation WHERE from_code = ? AND valid_from <= ? ORDER BY role, valid_from, to_code
            """)
        let roles = try relations("""
            SELECT * FROM relation WHERE to_code = ? AND valid_from <= ? ORDER BY from_code, role, valid_from
            """)

        return SubjectFacts(code: s.code, kind: s.kind, name: s.name, status: status, statusSince: statusSince,
                            listEntries: lists, taxGrades: grades, penalties: penalties, licences: licences,
                            keyPersons: keyPersons, roles: roles)
    }

    /// Codes of the organisations in which `code` holds any role (to evaluate extended measures).
    public func organisations(servedBy code: String, in db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT from_code FROM relation WHERE to_code = ? ORDER BY from_code"),
                            arguments: [code])
    }
}
