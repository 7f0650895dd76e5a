/// The identity columns (`identity_source`, `name`, `kind`) of subjects that one write
/// transaction has already probed or written, so that a subject named again by a later record
/// of the same feed (a person who represents several organisations) is not probed again.
///
/// It is a cache of rows, not a source of truth: it lives in ``RegistryStatements`` (one
/// transaction, one connection) and every statement there that changes those columns updates
/// or forgets the entry, so an entry always equals the row. It holds at most ``limit``
/// subjects (``defaultLimit``) and starts again empty past that, so its memory does not grow with the feed.
struct KnownIdentities {
    /// One subject's identity columns as stored.
    struct Identity {
        /// `COALESCE(identity_source, 'named')`.
        var source: IdentitySource
        var name: String
        var kind: String
        /// `identity_source IS 'named'`: the stored column itself, NULL not counted.
        var storedAsNamed: Bool
    }

    /// How many subjects a transaction's statements remember by default.
    static let defaultLimit = 500_000
    let limit: Int
    private var byCode: [String: Identity] = [:]

    init(limit: Int = defaultLimit) { self.limit = max(1, limit) }

    subscript(code: String) -> Identity? { byCode[code] }

    mutating func remember(_ code: String, _ identity: Identity) {
        if byCode.count >= limit && byCode[code] == nil { byCode.removeAll() }
        byCode[code] = identity
    }

    mutating func forget(_ code: String) { byCode.removeValue(forKey: code) }
}
