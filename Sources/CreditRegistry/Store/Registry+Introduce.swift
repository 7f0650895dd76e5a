import GRDB

/// Which kind of source gave the registry a subject's identity, least authoritative first.
///
/// The registration authority is authoritative for names, kinds and status; a person or
/// shareholder named in a registration comes next; a bureau's record about a subject (a
/// penalty, a tax case, a licence) next; a national list (the name as the court wrote it)
/// last. A more authoritative source replaces the current name; every source's name is kept in
/// `name_variant` (or derived from the subject row, see ``NamedVariant``).
public enum IdentitySource: String, Sendable, Codable, CaseIterable, Comparable {
    case list
    case record
    case named
    case registration

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: IdentitySource, b: IdentitySource) -> Bool { a.rank < b.rank }
}

extension Registry {
    /// Introduces the subject `code` when the registry does not know it, or lets a more
    /// authoritative source rename it; records `name` as a variant from `source` either way.
    /// The same code is always the same subject: nothing is duplicated, no history moves.
    /// Returns true when the subject is new.
    ///
    /// ```swift
    /// try registry.introduce(code: "11010519491231002X", kind: .naturalPerson, name: "张丽", source: .list, recordID: id, in: db)
    /// ```
    ///
    /// With `onlyIfAbsent`, a subject the registry already knows is left as it is (no rename, no
    /// variant): one probe for what a caller would otherwise ask ``knows(_:in:)`` first.
    @discardableResult
    public func introduce(code: String, kind: SubjectKind, name: String, source: IdentitySource, recordID: Int64?,
                          onlyIfAbsent: Bool = false, in db: Database, statements: RegistryStatements? = nil) throws -> Bool {
        var row = statements?.identities[code]
        // A code most likely new is inserted first; the probe runs only when it existed after all.
        var inserted = false
        if row == nil, let statements, statements.identities.likelyAbsent(code) {
            let insert = try statements(.insertIntroducedIfAbsent)
            insert.bind(1, code); insert.bind(2, kind.rawValue); insert.bind(3, name); insert.bind(4, source.rawValue)
            try insert.run(db)
            inserted = db.changesCount > 0
        }
        if row == nil && !inserted {
            let probe = try statement(.probeIdentity, statements, db)
            probe.bind(1, code)
            if try probe.step(db) {
                row = KnownIdentities.Identity(source: IdentitySource(rawValue: probe.text(at: 0) ?? "") ?? .named,
                                               name: probe.text(at: 1) ?? "", kind: probe.text(at: 2) ?? "",
                                               storedAsNamed: probe.int64(at: 3) != 0)
                probe.finish()
                if let row { statements?.identities.remember(code, row) }
            }
        }
        if row != nil && onlyIfAbsent { return false }
        var isNew = false
        // The subject's identity columns once this call has written.
        var now: KnownIdentities.Identity
        if let row {
            now = row
            let stored = row.source
            let current = row.name
            // A more authoritative source renames; between equal sources the smaller name wins, so
            // the outcome does not depend on which record arrived first.
            let renames = source > stored || (source == stored && source != .registration && !current.isEmpty && name < current)
            if !name.isEmpty, renames || current.isEmpty {
                now = .init(source: max(source, stored), name: name, kind: source >= stored ? kind.rawValue : row.kind,
                            storedAsNamed: max(source, stored) == .named)
                let update = try statement(.renameSubject, statements, db)
                update.bind(1, now.name); update.bind(2, now.kind); update.bind(3, now.source.rawValue); update.bind(4, code)
                try update.run(db)
                statements?.identities.remember(code, now)
                if kind != .naturalPerson { try addName(name, of: code, from: nil, in: db, statements: statements) }
            }
        } else {
            now = .init(source: source, name: name, kind: kind.rawValue, storedAsNamed: source == .named)
            if !inserted {
                let insert = try statement(.insertIntroduced, statements, db)
                insert.bind(1, code); insert.bind(2, kind.rawValue); insert.bind(3, name); insert.bind(4, source.rawValue)
                try insert.run(db)
            }
            statements?.identities.remember(code, now)
            if kind != .naturalPerson && !name.isEmpty { try addName(name, of: code, from: nil, in: db, statements: statements) }
            isNew = true
        }
        if !name.isEmpty && source == NamedVariant.source {
            // The variant is derived (``NamedVariant``) when the subject's own name and source are
            // this name and source: always for a new subject, and whenever the row says so (names
            // compared byte by byte, as SQLite compares them).
            if !(now.storedAsNamed && now.name.utf8.elementsEqual(name.utf8)) {
                let variant = try statement(.addNamedVariant, statements, db)
                variant.bind(1, code); variant.bind(2, name)
                try variant.run(db)
            }
        } else if !name.isEmpty {
            let variant = try statement(.addNameVariant, statements, db)
            variant.bind(1, code); variant.bind(2, name); variant.bind(3, source.rawValue); variant.bind(4, recordID)
            try variant.run(db)
        }
        return isNew
    }

    /// The names sources gave a subject, with the source of each (sorted by name, then source);
    /// the one its own name and source imply is derived (``NamedVariant``).
    public func nameVariants(of code: String, in db: Database) throws -> [(name: String, source: IdentitySource)] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT name, source FROM name_variant WHERE subject_code = ?1
            UNION SELECT name, identity_source FROM subject WHERE code = ?1 AND identity_source = 'named' AND name <> ''
            ORDER BY name, source
            """),
                         arguments: [code]).map { row in
            let text: String = row["source"]
            guard let source = IdentitySource(rawValue: text) else {
                throw StoredValueError(table: "name_variant", column: "source", row: code, value: text)
            }
            return (row["name"], source)
        }
    }

    /// True when the registry knows a subject with exactly this code.
    public func knows(_ code: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM subject WHERE code = ?)"), arguments: [code]) ?? false
    }
}
