import CreditRegistry
import FeedIngest
import PostgresNIO

/// The derived-state writes of a feed record (``DerivedFactsWriting``) on PostgreSQL: the same
/// rows, keys and conflict rules as the SQLite registry's writers (``Registry`` and its
/// extensions), inside the feed's transaction; penalties, licences and tax grades go in batches
/// (``FactUpserts``), the rest statement for statement.
struct PostgresDerivedFacts: DerivedFactsWriting {
    let statements: PipelinedStatements

    func upsert(_ s: Subject, recordID: Int64?) throws {
        try statements.send("""
            INSERT INTO subject (code, kind, name, status, status_since, established_on, region, authority, updated_by_record, identity_source)
            VALUES (\(s.code), \(s.kind.rawValue), \(s.name), \(s.status.rawValue), \(s.statusSince?.description), \(s.establishedOn?.description),
                    \(s.region), \(s.authority), \(recordID), 'registration')
            ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name, status = excluded.status,
                identity_source = 'registration', status_since = excluded.status_since,
                established_on = COALESCE(excluded.established_on, subject.established_on),
                region = COALESCE(excluded.region, subject.region), authority = COALESCE(excluded.authority, subject.authority),
                updated_by_record = COALESCE(excluded.updated_by_record, subject.updated_by_record)
            """, "register subject")
        if s.kind != .naturalPerson { try addName(s.name, of: s.code, from: s.establishedOn, to: nil) }
    }

    func addStatus(_ status: SubjectStatus, of code: String, since: Day, recordID: Int64?) throws {
        try statements.send("""
            INSERT INTO status_history (subject_code, since, status, record_id) VALUES (\(code), \(since.description), \(status.rawValue), \(recordID))
            ON CONFLICT (subject_code, since, status) DO UPDATE SET record_id = excluded.record_id
            """, "record a status")
    }

    func addName(_ name: String, of code: String, from: Day?, to: Day?) throws {
        try statements.send(Self.addNameSQL(name, of: code, from: from, to: to), "record a name")
    }

    static func addNameSQL(_ name: String, of code: String, from: Day?, to: Day?) -> SQLText {
        """
            INSERT INTO subject_name (subject_code, name, valid_from, valid_to) VALUES (\(code), \(name), \(from?.description), \(to?.description))
            ON CONFLICT (subject_code, name) DO UPDATE SET valid_to = excluded.valid_to,
                valid_from = COALESCE(subject_name.valid_from, excluded.valid_from)
            """
    }

    func addAlias(scheme: AliasScheme, value: String, subject: String) throws {
        try statements.send("""
            INSERT INTO alias (value, scheme, subject_code) VALUES (\(IdentifierText.normalise(value)), \(scheme.rawValue), \(subject))
            ON CONFLICT (value, scheme) DO UPDATE SET subject_code = excluded.subject_code
            """, "record an alias")
    }

    func add(_ r: Relation, fromRegistration: Bool) throws {
        // A role another record states never replaces what a registration stated.
        let guardRegistration = fromRegistration ? "" : """
             WHERE NOT EXISTS (SELECT 1 FROM record WHERE record.id = relation.record_id AND record.kind = 'registration')
            """
        var query: SQLText = """
            INSERT INTO relation (from_code, role, to_code, share, valid_from, valid_to, record_id)
            VALUES (\(r.from), \(r.role.rawValue), \(r.to), \(r.share), \(r.validFrom.description), \(r.validTo?.description), \(r.recordID))
            ON CONFLICT (from_code, role, to_code, valid_from) DO UPDATE SET valid_to = excluded.valid_to,
                share = excluded.share, record_id = excluded.record_id
            """
        query.sql += guardRegistration
        try statements.send(query, "record a role")
    }

    func endRoles(of from: String, role: RelationRole, except keep: String?, on day: Day) throws {
        try statements.send("""
            UPDATE relation SET valid_to = \(day.description) WHERE from_code = \(from) AND role = \(role.rawValue) AND valid_to IS NULL
                AND to_code IS DISTINCT FROM \(keep) AND valid_from < \(day.description)
            """, "end roles")
    }

    /// The SQLite registry's rule (``Registry/introduce(code:kind:name:source:recordID:onlyIfAbsent:in:)``) as one
    /// PL/pgSQL step of the block, so that it needs no round trip of its own: a subject the
    /// registry does not know is inserted (with its name, for an organisation);
    /// unless `onlyIfAbsent`, a known one is renamed by a more authoritative source, or by an
    /// equal one (not a registration) with a name that sorts first, or when it has no name; the
    /// name is kept as a variant. Its result is not reported (no caller uses it).
    func introduce(code: String, kind: SubjectKind, name: String, source: IdentitySource, recordID: Int64?, onlyIfAbsent: Bool) throws -> Bool {
        // A `named` variant that repeats the subject's own name and source is derived (``NamedVariant``).
        let variant: SQLText = source == NamedVariant.source ? """
            INSERT INTO name_variant (subject_code, name, source, record_id) SELECT \(code), \(name), 'named', NULL
                WHERE NOT EXISTS (SELECT 1 FROM subject WHERE code = \(code) AND identity_source = 'named' AND name = \(name))
                ON CONFLICT DO NOTHING;

            """ : """
            INSERT INTO name_variant (subject_code, name, source, record_id) VALUES (\(code), \(name), \(source.rawValue), \(recordID))
                ON CONFLICT DO NOTHING;

            """
        var step: SQLText = """
            PERFORM 1 FROM subject WHERE code = \(code);
            IF NOT FOUND THEN
            INSERT INTO subject (code, kind, name, status, identity_source) VALUES (\(code), \(kind.rawValue), \(name), 'active', \(source.rawValue));

            """
        if kind != .naturalPerson && !name.isEmpty { step.sql += Self.addNameSQL(name, of: code, from: nil, to: nil).sql + ";\n" }
        if !name.isEmpty && source != NamedVariant.source { step.sql += variant.sql }
        if !onlyIfAbsent && !name.isEmpty {
            // The stored source's rank (nil counts as `named`), and the new source's.
            let rank = "(CASE COALESCE(identity_source, 'named') WHEN 'list' THEN 0 WHEN 'record' THEN 1 WHEN 'named' THEN 2 ELSE 3 END)"
            let new = String(IdentitySource.allCases.firstIndex(of: source) ?? 0)
            let quotedName = SQLText("\(name)").sql
            let equalRenames = source == .registration ? "" : " OR (\(new) = \(rank) AND name <> '' AND \(quotedName) COLLATE \"C\" < name COLLATE \"C\")"
            var rename: SQLText = """
                ELSE
                UPDATE subject SET name = \(name),
                    kind = CASE WHEN \(Int(new) ?? 0) >= 
                """
            rename.sql += rank + " THEN " + SQLText("\(kind.rawValue)").sql + " ELSE kind END,\n"
            rename.sql += "    identity_source = CASE WHEN \(new) > \(rank) THEN " + SQLText("\(source.rawValue)").sql
                + " ELSE COALESCE(identity_source, 'named') END\n"
            rename.sql += "WHERE code = " + SQLText("\(code)").sql + " AND (\(new) > \(rank)\(equalRenames) OR name = '');\n"
            if kind != .naturalPerson { rename.sql += "IF FOUND THEN " + Self.addNameSQL(name, of: code, from: nil, to: nil).sql + "; END IF;\n" }
            step.sql += rename.sql + variant.sql
        }
        step.sql += "END IF"
        try statements.send(step, "introduce a subject")
        return false
    }

    func putListEntry(subject: String, list: String, enteredOn: Day, ground: String?, reason: String?,
                      authority: String?, entryKey: String, recordID: Int64) throws {
        try statements.send("""
            INSERT INTO list_entry (subject_code, list, entered_on, ground, reason, authority, entry_key, entry_record)
            VALUES (\(subject), \(list), \(enteredOn.description), \(ground), \(reason), \(authority), \(entryKey), \(recordID))
            ON CONFLICT (entry_key) DO UPDATE SET subject_code = excluded.subject_code, list = excluded.list,
                entered_on = excluded.entered_on, ground = excluded.ground, reason = excluded.reason,
                authority = excluded.authority, entry_record = excluded.entry_record
            """, "record a list entry")
    }

    /// Its result is not reported (no caller uses it): the update is sent with the block.
    func exitList(subject: String, list: String, entryKey: String?, on day: Day?, recordID: Int64?) throws -> Bool {
        if let entryKey {
            try statements.send("""
                UPDATE list_entry SET exited_on = \(day?.description), exit_record = \(recordID) WHERE entry_key = \(entryKey)
                """, "close a list entry")
        } else {
            try statements.send("""
                UPDATE list_entry SET exited_on = \(day?.description), exit_record = \(recordID) WHERE id = (
                    SELECT id FROM list_entry WHERE subject_code = \(subject) AND list = \(list) AND exited_on IS NULL
                    ORDER BY entered_on COLLATE "C" DESC, id DESC LIMIT 1)
                """, "close a list entry")
        }
        return false
    }

    func deleteListEntry(entryKey: String) throws {
        try statements.send("DELETE FROM list_entry WHERE entry_key = \(entryKey)", "remove a list entry")
    }

    func putPenalty(_ p: PenaltyFact, subject: String, recordKey: String) throws {
        var row = JSONRow()
        row.add("record_key", recordKey); row.add("subject_code", subject); row.add("document_number", p.documentNumber)
        row.add("decided_on", p.decidedOn.description); row.add("types", p.types.joined(separator: ";"))
        row.add("fine_micro_wan", p.fineMicroWan); row.add("severity", p.severity.rawValue); row.add("authority", p.authority)
        row.add("publicity_end", p.publicityEnd?.description); row.add("repaired_on", p.repairedOn?.description)
        row.add("revoked_on", p.revokedOn?.description); row.add("record_id", p.recordID)
        try statements.upsert(\.penalties, key: recordKey, row)
    }

    func putLicence(_ l: LicenceFact, subject: String, recordKey: String) throws {
        var row = JSONRow()
        row.add("record_key", recordKey); row.add("subject_code", subject); row.add("number", l.number); row.add("type", l.type)
        row.add("granted_on", l.grantedOn.description); row.add("valid_until", l.validUntil?.description)
        row.add("revoked_on", l.revokedOn?.description); row.add("record_id", l.recordID)
        try statements.upsert(\.licences, key: recordKey, row)
    }

    func putTaxGrade(_ g: TaxGradeFact, subject: String) throws {
        var row = JSONRow()
        row.add("subject_code", subject); row.add("year", Int64(g.year)); row.add("grade", g.grade.rawValue)
        row.add("published_on", g.publishedOn.description); row.add("record_id", g.recordID)
        try statements.upsert(\.taxGrades, key: "\(subject)\u{0}\(g.year)", row)
    }

    func deleteTaxGrade(subject: String, year: Int) throws {
        // Alone, between the upserts kept before it and those after it (which go ahead of a block).
        try statements.drain()
        try statements.send("DELETE FROM tax_grade WHERE subject_code = \(subject) AND year = \(year)", "remove a tax grade")
        try statements.drain()
    }
}
