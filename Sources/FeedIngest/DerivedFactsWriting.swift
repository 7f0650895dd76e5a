import CreditRegistry
import GRDB

/// The writes a record makes to the derived, queryable state (subjects, names, aliases, roles,
/// list entries, penalties, licences, tax grades): what ``PreparedRecord/apply`` is written
/// against, so that one mapping serves every store. ``SQLiteDerivedFacts`` writes them into the
/// SQLite registry; the PostgreSQL store has its own.
package protocol DerivedFactsWriting {
    func upsert(_ s: Subject, recordID: Int64?) throws
    func addStatus(_ status: SubjectStatus, of code: String, since: Day, recordID: Int64?) throws
    func addName(_ name: String, of code: String, from: Day?, to: Day?) throws
    func addAlias(scheme: AliasScheme, value: String, subject: String) throws
    func add(_ r: Relation, fromRegistration: Bool) throws
    func endRoles(of from: String, role: RelationRole, except keep: String?, on day: Day) throws
    @discardableResult
    func introduce(code: String, kind: SubjectKind, name: String, source: IdentitySource, recordID: Int64?, onlyIfAbsent: Bool) throws -> Bool
    func putListEntry(subject: String, list: String, enteredOn: Day, ground: String?, reason: String?,
                      authority: String?, entryKey: String, recordID: Int64) throws
    @discardableResult
    func exitList(subject: String, list: String, entryKey: String?, on day: Day?, recordID: Int64?) throws -> Bool
    func deleteListEntry(entryKey: String) throws
    func putPenalty(_ p: PenaltyFact, subject: String, recordKey: String) throws
    func putLicence(_ l: LicenceFact, subject: String, recordKey: String) throws
    func putTaxGrade(_ g: TaxGradeFact, subject: String) throws
    func deleteTaxGrade(subject: String, year: Int) throws
}

extension DerivedFactsWriting {
    func addName(_ name: String, of code: String, from: Day?) throws { try addName(name, of: code, from: from, to: nil) }
    func add(_ r: Relation) throws { try add(r, fromRegistration: true) }
    @discardableResult
    func introduce(code: String, kind: SubjectKind, name: String, source: IdentitySource, recordID: Int64?) throws -> Bool {
        try introduce(code: code, kind: kind, name: name, source: source, recordID: recordID, onlyIfAbsent: false)
    }
}

/// The derived-state writes into the SQLite registry, inside the transaction `db`, through the
/// write statements `statements` holds for the transaction (nil: GRDB's statement cache).
struct SQLiteDerivedFacts: DerivedFactsWriting {
    let registry: Registry
    let db: Database
    var statements: RegistryStatements? = nil

    func upsert(_ s: Subject, recordID: Int64?) throws { try registry.upsert(s, recordID: recordID, in: db, statements: statements) }
    func addStatus(_ status: SubjectStatus, of code: String, since: Day, recordID: Int64?) throws {
        try registry.addStatus(status, of: code, since: since, recordID: recordID, in: db, statements: statements)
    }
    func addName(_ name: String, of code: String, from: Day?, to: Day?) throws {
        try registry.addName(name, of: code, from: from, to: to, in: db, statements: statements)
    }
    func addAlias(scheme: AliasScheme, value: String, subject: String) throws {
        try registry.addAlias(scheme: scheme, value: value, subject: subject, in: db, statements: statements)
    }
    func add(_ r: Relation, fromRegistration: Bool) throws {
        try registry.add(r, fromRegistration: fromRegistration, in: db, statements: statements)
    }
    func endRoles(of from: String, role: RelationRole, except keep: String?, on day: Day) throws {
        try registry.endRoles(of: from, role: role, except: keep, on: day, in: db, statements: statements)
    }
    func introduce(code: String, kind: SubjectKind, name: String, source: IdentitySource, recordID: Int64?, onlyIfAbsent: Bool) throws -> Bool {
        try registry.introduce(code: code, kind: kind, name: name, source: source, recordID: recordID, onlyIfAbsent: onlyIfAbsent,
                               in: db, statements: statements)
    }
    func putListEntry(subject: String, list: String, enteredOn: Day, ground: String?, reason: String?,
                      authority: String?, entryKey: String, recordID: Int64) throws {
        try registry.putListEntry(subject: subject, list: list, enteredOn: enteredOn, ground: ground, reason: reason,
                                  authority: authority, entryKey: entryKey, recordID: recordID, in: db, statements: statements)
    }
    func exitList(subject: String, list: String, entryKey: String?, on day: Day?, recordID: Int64?) throws -> Bool {
        try registry.exitList(subject: subject, list: list, entryKey: entryKey, on: day, recordID: recordID, in: db)
    }
    func deleteListEntry(entryKey: String) throws { try registry.deleteListEntry(entryKey: entryKey, in: db) }
    func putPenalty(_ p: PenaltyFact, subject: String, recordKey: String) throws {
        try registry.putPenalty(p, subject: subject, recordKey: recordKey, in: db, statements: statements)
    }
    func putLicence(_ l: LicenceFact, subject: String, recordKey: String) throws {
        try registry.putLicence(l, subject: subject, recordKey: recordKey, in: db, statements: statements)
    }
    func putTaxGrade(_ g: TaxGradeFact, subject: String) throws { try registry.putTaxGrade(g, subject: subject, in: db, statements: statements) }
    func deleteTaxGrade(subject: String, year: Int) throws { try registry.deleteTaxGrade(subject: subject, year: year, in: db) }
}
