/// The identity columns (`identity_source`, `name`, `kind`) of subjects that one write
/// transaction has already probed or written, so that a subject named again by a later record
/// of the same feed (a person who represents several organisations) is not probed again.
///
/// It is a cache of rows, not a source of truth: it lives in ``RegistryStatements`` (one
/// transaction, one connection) and every statement there that changes those columns updates
/// the entry with what it wrote, so an entry always equals the row. It holds at most ``limit``
/// subjects (``defaultLimit``) and starts again empty past that, so its memory does not grow with the feed.
///
/// When the transaction began with no subject at all (a first load, ``expectNewSubjects()``), it
/// also keeps the hashes of the codes it has seen: a code whose hash it has not seen is most
/// likely new, so ``Registry/introduce(code:kind:name:source:recordID:onlyIfAbsent:in:statements:)``
/// tries its insert before any probe. That insert does nothing when the code exists after all
/// (`ON CONFLICT(code) DO NOTHING`), and the probe follows, so the guess never decides a row.
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
    static let defaultLimit = 1_000_000
    let limit: Int
    private var byCode: [String: Identity] = [:]
    /// Hashes of every code remembered since ``expectNewSubjects()``; nil when not expecting new
    /// subjects, or past ``seenLimit`` codes.
    private var seen: Set<Int>?
    /// How many codes' hashes are kept before every code is probed first again.
    static let seenLimit = 4_000_000

    init(limit: Int = defaultLimit) { self.limit = max(1, limit) }

    subscript(code: String) -> Identity? { byCode[code] }

    /// From now on, a code not seen before is taken to be new (see the type's discussion).
    mutating func expectNewSubjects() { seen = [] }

    /// True when `code` is most likely not in the registry: new subjects are expected and no
    /// code with its hash has been remembered.
    func likelyAbsent(_ code: String) -> Bool {
        guard let seen else { return false }
        return !seen.contains(code.hashValue)
    }

    mutating func remember(_ code: String, _ identity: Identity) {
        if byCode.count >= limit && byCode[code] == nil { byCode.removeAll(keepingCapacity: true) }
        byCode[code] = identity
        if seen != nil {
            seen?.insert(code.hashValue)
            if (seen?.count ?? 0) > Self.seenLimit { seen = nil }
        }
    }
}
