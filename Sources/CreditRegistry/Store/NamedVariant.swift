/// The name variant a subject's own name and source imply, derived from `subject` instead of
/// stored.
///
/// Every source that names a subject leaves its spelling in `name_variant`. A subject whose
/// identity comes from being named in a registration (a legal representative, a shareholder:
/// `identity_source = 'named'`) bears the name it was named by, so the variant (its name,
/// `named`) repeats the subject row: readers add it from there, and the writers store only the
/// variants that differ. Before a subject's name or source changes, a trigger stores the variant
/// its old name and source implied (`name_variant.record_id` is null for `named` variants: the
/// role row that named the subject holds the record). The SQL is shared by the SQLite registry
/// and the PostgreSQL backend.
public enum NamedVariant {
    /// The source whose variant is derived.
    public static let source = IdentitySource.named

    /// Deletes the stored variants that repeat a `named` subject's own name (what registries
    /// written before the variant was derived hold).
    public static let deleteStoredSQL = """
        DELETE FROM name_variant WHERE source = 'named' AND EXISTS (
            SELECT 1 FROM subject s WHERE s.code = name_variant.subject_code AND s.identity_source = 'named'
                AND s.name = name_variant.name AND s.name <> '')
        """

    /// SQLite's trigger that stores the implied variant before a subject's name or source changes.
    static let sqliteTrigger = """
        CREATE TRIGGER IF NOT EXISTS subject_named_variant_kept BEFORE UPDATE OF name, identity_source ON subject
        WHEN old.identity_source = 'named' AND old.name <> ''
            AND (new.name IS NOT old.name OR new.identity_source IS NOT old.identity_source)
        BEGIN
            INSERT OR IGNORE INTO name_variant (subject_code, name, source, record_id) VALUES (old.code, old.name, 'named', NULL);
        END
        """

    /// PostgreSQL's function and trigger, the same rule as ``sqliteTrigger``.
    public static let postgresTrigger = """
        CREATE FUNCTION credit_named_variant_kept() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO name_variant (subject_code, name, source, record_id) VALUES (OLD.code, OLD.name, 'named', NULL)
                ON CONFLICT DO NOTHING;
            RETURN NEW;
        END $$;
        CREATE TRIGGER subject_named_variant_kept BEFORE UPDATE OF name, identity_source ON subject FOR EACH ROW
            WHEN (OLD.identity_source = 'named' AND OLD.name <> ''
                  AND (NEW.name IS DISTINCT FROM OLD.name OR NEW.identity_source IS DISTINCT FROM OLD.identity_source))
            EXECUTE FUNCTION credit_named_variant_kept();
        """
}
