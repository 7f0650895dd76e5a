import GRDB

/// Writers of the derived, queryable facts. Each bureau key has one derived row pointing at
/// its effective record; a correction replaces the row, the history keeps every record.
extension Registry {
    /// A list entry (or its correction) keyed by the entry record's bureau key.
    public func putListEntry(subject: String, list: String, enteredOn: Day, ground: String?, reason: String?,
                             authority: String?, entryKey: String, recordID: Int64, in db: Database,
                             statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.putListEntry, statements, db)
        stmt.bind(1, subject); stmt.bind(2, list); stmt.bind(3, enteredOn); stmt.bind(4, ground); stmt.bind(5, reason)
        stmt.bind(6, authority); stmt.bind(7, entryKey); stmt.bind(8, recordID)
        try stmt.run(db)
    }

    /// Closes a list entry: the one named by `entryKey` when given, else the subject's latest
    /// open entry on `list`. Returns false when there was nothing to close.
    @discardableResult
    public func exitList(subject: String, list: String, entryKey: String?, on day: Day?, recordID: Int64?, in db: Database) throws -> Bool {
        if let entryKey {
            try db.cachedStatement(sql: "UPDATE list_entry SET exited_on = ?, exit_record = ? WHERE entry_key = ?")
                .execute(arguments: [day?.description, recordID, entryKey])
        } else {
            try db.cachedStatement(sql: """
                UPDATE list_entry SET exited_on = ?, exit_record = ? WHERE id = (
                    SELECT id FROM list_entry WHERE subject_code = ? AND list = ? AND exited_on IS NULL
                    ORDER BY entered_on DESC LIMIT 1)
                """).execute(arguments: [day?.description, recordID, subject, list])
        }
        return db.changesCount > 0
    }

    /// Removes a list entry revoked by its bureau (the records stay in the history).
    public func deleteListEntry(entryKey: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM list_entry WHERE entry_key = ?").execute(arguments: [entryKey])
    }

    /// A penalty decision (or its correction), keyed by `bureau:key`.
    public func putPenalty(_ p: PenaltyFact, subject: String, recordKey: String, in db: Database,
                           statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.putPenalty, statements, db)
        stmt.bind(1, recordKey); stmt.bind(2, subject); stmt.bind(3, p.documentNumber); stmt.bind(4, p.decidedOn)
        stmt.bind(5, p.types.joined(separator: ";")); stmt.bind(6, p.fineMicroWan); stmt.bind(7, p.severity.rawValue)
        stmt.bind(8, p.authority); stmt.bind(9, p.publicityEnd); stmt.bind(10, p.repairedOn); stmt.bind(11, p.revokedOn)
        stmt.bind(12, p.recordID)
        try stmt.run(db)
    }

    /// Marks a penalty revoked (撤销) from `day`.
    public func revokePenalty(recordKey: String, on day: Day, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE penalty SET revoked_on = ? WHERE record_key = ?").execute(arguments: [day.description, recordKey])
    }

    /// A licence (or its change), keyed by `bureau:key`.
    public func putLicence(_ l: LicenceFact, subject: String, recordKey: String, in db: Database,
                           statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.putLicence, statements, db)
        stmt.bind(1, recordKey); stmt.bind(2, subject); stmt.bind(3, l.number); stmt.bind(4, l.type); stmt.bind(5, l.grantedOn)
        stmt.bind(6, l.validUntil); stmt.bind(7, l.revokedOn); stmt.bind(8, l.recordID)
        try stmt.run(db)
    }

    /// The annual tax credit grade of a subject (a later publication for the same year replaces it).
    public func putTaxGrade(_ g: TaxGradeFact, subject: String, in db: Database, statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.putTaxGrade, statements, db)
        stmt.bind(1, subject); stmt.bind(2, g.year); stmt.bind(3, g.grade.rawValue); stmt.bind(4, g.publishedOn); stmt.bind(5, g.recordID)
        try stmt.run(db)
    }

    /// Removes a tax grade revoked by its bureau.
    public func deleteTaxGrade(subject: String, year: Int, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM tax_grade WHERE subject_code = ? AND year = ?").execute(arguments: [subject, year])
    }
}
