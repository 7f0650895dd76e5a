import GRDB

/// A registered subject: the current identity of a legal person, organisation or citizen.
public struct Subject: Sendable, Hashable, Codable {
    /// USCC or 18-digit resident ID: the registry key.
    public var code: String
    public var kind: SubjectKind
    /// Full-width Chinese name as registered.
    public var name: String
    public var status: SubjectStatus
    public var statusSince: Day?
    public var establishedOn: Day?
    /// Division code of the registering authority (organisations) or of the address (persons).
    public var region: String?
    /// Registration authority as the bureau names it.
    public var authority: String?

    public init(code: String, kind: SubjectKind, name: String, status: SubjectStatus = .active,
                statusSince: Day? = nil, establishedOn: Day? = nil, region: String? = nil, authority: String? = nil) {
        self.code = code; self.kind = kind; self.name = name; self.status = status
        self.statusSince = statusSince; self.establishedOn = establishedOn; self.region = region; self.authority = authority
    }
}

extension Subject {
    /// The columns ``init(columnsOf:)`` reads (from table alias `s`), in its order.
    static let columns = "s.code, s.kind, s.name, s.status, s.status_since, s.established_on, s.region, s.authority"

    /// Decodes the current row of a statement stepped directly (``Statement/step(_:)``) that
    /// selects ``columns``.
    init(columnsOf statement: Statement) throws {
        let code = statement.text(at: 0) ?? ""
        try self.init(code: code, kind: statement.text(at: 1) ?? "", name: statement.text(at: 2) ?? "", status: statement.text(at: 3) ?? "",
                      statusSince: statement.text(at: 4), establishedOn: statement.text(at: 5), region: statement.text(at: 6),
                      authority: statement.text(at: 7))
    }

    /// Decodes a `subject` row selected with `SELECT *`.
    init(row: Row) throws {
        try self.init(code: row["code"], kind: row["kind"], name: row["name"], status: row["status"], statusSince: row["status_since"],
                      establishedOn: row["established_on"], region: row["region"], authority: row["authority"])
    }

    /// Builds a subject from stored text; throws ``StoredValueError`` for a value the model cannot represent.
    private init(code: String, kind: String, name: String, status: String, statusSince: String?, establishedOn: String?,
                 region: String?, authority: String?) throws {
        guard let k = SubjectKind(rawValue: kind) else { throw StoredValueError(table: "subject", column: "kind", row: code, value: kind) }
        guard let st = SubjectStatus(rawValue: status) else { throw StoredValueError(table: "subject", column: "status", row: code, value: status) }
        self.init(code: code, kind: k, name: name, status: st,
                  statusSince: try Day.stored(statusSince, table: "subject", column: "status_since", row: code),
                  establishedOn: try Day.stored(establishedOn, table: "subject", column: "established_on", row: code),
                  region: region, authority: authority)
    }
}

/// Naming schemes of identifier aliases.
public enum AliasScheme: String, Sendable, Codable, CaseIterable {
    /// The subject's own USCC.
    case uscc
    /// The subject's own 18-digit resident ID.
    case residentID = "resident_id"
    /// 15-digit legacy resident ID (GB 11643-1989).
    case residentID15 = "resident_id_15"
    /// 15-digit business registration number (工商注册号).
    case registrationNumber = "registration_number"
    /// 9-character organisation code (GB 11714), stored without hyphen.
    case organizationCode = "organization_code"
    /// Tax registration number (税务登记号).
    case taxNumber = "tax_number"
}

/// A role between two subjects, with valid time.
public struct Relation: Sendable, Hashable, Codable {
    public var from: String
    public var role: RelationRole
    public var to: String
    public var share: Double?
    public var validFrom: Day
    public var validTo: Day?
    public var recordID: Int64?
    public init(from: String, role: RelationRole, to: String, share: Double? = nil, validFrom: Day, validTo: Day? = nil, recordID: Int64? = nil) {
        self.from = from; self.role = role; self.to = to; self.share = share
        self.validFrom = validFrom; self.validTo = validTo; self.recordID = recordID
    }
}

/// Provenance of a record: where and when it came from.
public struct Provenance: Sendable, Hashable, Codable {
    public var bureau: String
    public var bureauKey: String
    /// Row id of the feed in the `feed` table.
    public var feed: Int64
    public var line: Int
    public var documentNumber: String?
    public init(bureau: String, bureauKey: String, feed: Int64, line: Int, documentNumber: String? = nil) {
        self.bureau = bureau; self.bureauKey = bureauKey; self.feed = feed; self.line = line; self.documentNumber = documentNumber
    }
}

/// A fact received, to be appended to the record history.
public struct NewRecord: Sendable, Hashable {
    public var subjectCode: String
    /// Record kind, e.g. `registration`, `penalty`, `list_entry`.
    public var kind: String
    public var operation: String
    public var provenance: Provenance
    public var effectiveFrom: Day?
    public var effectiveTo: Day?
    public var contentHash: String
    /// Canonical JSON of the fields as received.
    public var payload: String
    public init(subjectCode: String, kind: String, operation: String = "upsert", provenance: Provenance,
                effectiveFrom: Day? = nil, effectiveTo: Day? = nil, contentHash: String, payload: String) {
        self.subjectCode = subjectCode; self.kind = kind; self.operation = operation; self.provenance = provenance
        self.effectiveFrom = effectiveFrom; self.effectiveTo = effectiveTo; self.contentHash = contentHash; self.payload = payload
    }
}

/// A stored record, as the history and explanations show it.
public struct StoredRecord: Sendable, Hashable, Codable, FetchableRecord {
    public var id: Int64
    public var subjectCode: String
    public var kind: String
    public var operation: String
    public var bureau: String
    public var bureauKey: String
    public var feed: Int64
    public var line: Int
    public var documentNumber: String?
    public var effectiveFrom: Day?
    public var effectiveTo: Day?
    public var recordedAt: String
    public var payload: String

    /// Columns are snake_case; a stored day that is not one fails decoding (no silent default).
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The columns, with `feed_id` read as `feed`.
    static let selection = """
        id, subject_code, kind, operation, bureau, bureau_key, feed_id AS feed, line, document_number,
        effective_from, effective_to, recorded_at, payload
        """
}
