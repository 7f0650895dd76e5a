import GRDB

/// The registry's per-row write statements on one connection, prepared on first use and held
/// by a writer that runs them for many rows in one transaction (a feed).
///
/// GRDB's `cachedStatement(sql:)` finds a statement by hashing its SQL text on every call; a
/// feed record runs a dozen of these statements, and the hashing cost the feed's writer thread
/// several per cent of its time. A held statement is found by its slot instead. Registry write
/// methods take an optional `statements:`; without one they use GRDB's cache as before.
///
/// ```swift
/// let statements = RegistryStatements(db: db)
/// for s in subjects { try registry.upsert(s, in: db, statements: statements) }
/// ```
public final class RegistryStatements {
    /// One write statement of the registry.
    public enum Slot: Int, CaseIterable, Sendable {
        case upsertSubject, addName, addAlias, addRelation, addRelationNotFromRegistration, endRoles, appendRecord, addStatus
        case probeIdentity, renameSubject, insertIntroduced, insertIntroducedIfAbsent, addNameVariant, addNamedVariant
        case putListEntry, putPenalty, putLicence, putTaxGrade

        /// The statement's SQL.
        public var sql: String {
            switch self {
            case .upsertSubject: """
                INSERT INTO subject (code, kind, name, status, status_since, established_on, region, authority, updated_by_record,
                    identity_source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'registration')
                ON CONFLICT(code) DO UPDATE SET kind = excluded.kind, name = excluded.name, status = excluded.status,
                    identity_source = 'registration',
                    status_since = excluded.status_since, established_on = COALESCE(excluded.established_on, established_on),
                    region = COALESCE(excluded.region, region), authority = COALESCE(excluded.authority, authority),
                    updated_by_record = COALESCE(excluded.updated_by_record, updated_by_record)
                """
            case .addName: """
                INSERT INTO subject_name (subject_code, name, valid_from, valid_to) VALUES (?, ?, ?, ?)
                ON CONFLICT(subject_code, name) DO UPDATE SET valid_to = excluded.valid_to,
                    valid_from = COALESCE(valid_from, excluded.valid_from)
                """
            case .addAlias: """
                INSERT INTO alias (value, scheme, subject_code) VALUES (?, ?, ?)
                ON CONFLICT(value, scheme) DO UPDATE SET subject_code = excluded.subject_code
                """
            case .addRelation: """
                INSERT INTO relation (from_code, role, to_code, share, valid_from, valid_to, record_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(from_code, role, to_code, valid_from) DO UPDATE SET valid_to = excluded.valid_to,
                    share = excluded.share, record_id = excluded.record_id
                """
            case .addRelationNotFromRegistration: """
                INSERT INTO relation (from_code, role, to_code, share, valid_from, valid_to, record_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(from_code, role, to_code, valid_from) DO UPDATE SET valid_to = excluded.valid_to,
                    share = excluded.share, record_id = excluded.record_id
                WHERE NOT EXISTS (SELECT 1 FROM record WHERE record.id = relation.record_id AND record.kind = 'registration')
                """
            case .endRoles: """
                UPDATE relation SET valid_to = ? WHERE from_code = ? AND role = ? AND valid_to IS NULL
                    AND to_code IS NOT ? AND valid_from < ?
                """
            case .appendRecord: """
                INSERT INTO record (subject_code, kind, bureau, bureau_key, operation, feed_id, line, document_number,
                    effective_from, effective_to, recorded_at, content_hash, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            case .addStatus: """
                INSERT INTO status_history (subject_code, since, status, record_id) VALUES (?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET record_id = excluded.record_id
                """
            case .probeIdentity: "SELECT COALESCE(identity_source, 'named'), name, kind, identity_source IS 'named' FROM subject WHERE code = ?"
            case .renameSubject: "UPDATE subject SET name = ?, kind = ?, identity_source = ? WHERE code = ?"
            case .insertIntroduced: "INSERT INTO subject (code, kind, name, status, identity_source) VALUES (?, ?, ?, 'active', ?)"
            case .insertIntroducedIfAbsent: """
                INSERT INTO subject (code, kind, name, status, identity_source) VALUES (?, ?, ?, 'active', ?)
                ON CONFLICT(code) DO NOTHING
                """
            case .addNameVariant: "INSERT OR IGNORE INTO name_variant (subject_code, name, source, record_id) VALUES (?, ?, ?, ?)"
            case .addNamedVariant: """
                INSERT OR IGNORE INTO name_variant (subject_code, name, source, record_id) SELECT ?1, ?2, 'named', NULL
                WHERE NOT EXISTS (SELECT 1 FROM subject WHERE code = ?1 AND identity_source = 'named' AND name = ?2)
                """
            case .putListEntry: """
                INSERT INTO list_entry (subject_code, list, entered_on, ground, reason, authority, entry_key, entry_record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(entry_key) DO UPDATE SET subject_code = excluded.subject_code, list = excluded.list,
                    entered_on = excluded.entered_on, ground = excluded.ground, reason = excluded.reason,
                    authority = excluded.authority, entry_record = excluded.entry_record
                """
            case .putPenalty: """
                INSERT OR REPLACE INTO penalty (record_key, subject_code, document_number, decided_on, types, fine_micro_wan,
                    severity, authority, publicity_end, repaired_on, revoked_on, record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            case .putLicence: """
                INSERT OR REPLACE INTO licence (record_key, subject_code, number, type, granted_on, valid_until, revoked_on, record_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
            case .putTaxGrade: "INSERT OR REPLACE INTO tax_grade (subject_code, year, grade, published_on, record_id) VALUES (?, ?, ?, ?, ?)"
            }
        }
    }

    /// The connection the statements belong to.
    public let db: Database
    private var held: [Statement?] = Array(repeating: nil, count: Slot.allCases.count)
    /// Identities of subjects this transaction already probed or wrote through these statements
    /// (see ``KnownIdentities``).
    var identities: KnownIdentities

    /// Holds statements of `db`; use it only on that connection and drop it with the transaction.
    public convenience init(db: Database) { self.init(db: db, rememberedIdentities: KnownIdentities.defaultLimit) }

    /// Holds statements of `db` and remembers at most `rememberedIdentities` subjects' identities.
    init(db: Database, rememberedIdentities: Int) {
        self.db = db
        identities = KnownIdentities(limit: rememberedIdentities)
    }

    /// Tells the statements that the transaction began with no subject in the registry, so that
    /// codes not yet seen in it are inserted before they are probed (``KnownIdentities``).
    public func expectNewSubjects() { identities.expectNewSubjects() }

    /// The statement of `slot`, prepared on first use.
    public func callAsFunction(_ slot: Slot) throws -> Statement {
        if let s = held[slot.rawValue] { return s }
        let s = try db.makeStatement(sql: slot.sql)
        held[slot.rawValue] = s
        return s
    }
}

extension Registry {
    /// The statement of `slot`: held by `statements` when given, else from GRDB's cache of `db`.
    func statement(_ slot: RegistryStatements.Slot, _ statements: RegistryStatements?, _ db: Database) throws -> Statement {
        if let statements { return try statements(slot) }
        return try db.cachedStatement(sql: slot.sql)
    }
}
