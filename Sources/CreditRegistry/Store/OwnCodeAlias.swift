/// A subject's own code as one of its aliases, derived from `subject` instead of stored.
///
/// Every subject is known by its own code (a USCC, or an 18-digit resident ID for a natural
/// person). The `alias` table holds the other identifiers (registration numbers, organisation
/// codes, tax numbers, 15-digit resident IDs); readers add the own code from the subject row:
/// a look-up probes `subject` by code first and `alias` only when that misses, and the list of a
/// subject's aliases is the stored ones plus this one. The SQL fragments here are shared by the
/// SQLite registry and the PostgreSQL backend, whose tables have the same columns.
public enum OwnCodeAlias {
    /// The scheme of the own code of a subject whose kind is in `column`, as a SQL expression:
    /// its resident ID for a natural person, else its USCC.
    public static func schemeSQL(kind column: String) -> String {
        "CASE \(column) WHEN '\(SubjectKind.naturalPerson.rawValue)' THEN '\(AliasScheme.residentID.rawValue)' ELSE '\(AliasScheme.uscc.rawValue)' END"
    }

    /// Deletes the stored alias rows that only repeat a subject's own code under its own scheme
    /// (what registries written before the own code was derived hold).
    public static let deleteStoredSQL = """
        DELETE FROM alias WHERE value = subject_code AND EXISTS (
            SELECT 1 FROM subject s WHERE s.code = alias.subject_code AND alias.scheme = \(schemeSQL(kind: "s.kind")))
        """
}
