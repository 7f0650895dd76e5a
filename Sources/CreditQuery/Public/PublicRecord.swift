import CreditRegistry

/// What anyone may see of one market entity on one day, without an account: its identity,
/// the administrative licences and penalties published under 双公示 that are within their
/// publicity period, and its memberships of public lists. Built by ``PublicDefinition`` —
/// the one definition the public query and the open-data publication share.
///
/// Every item carries its ``PublicPeriod`` (from when, until when it is shown) and its
/// ``PublicSource``; an item whose period has ended, or that was repaired, revoked or exited,
/// is not in the record at all (withdrawal).
public struct PublicRecord: Sendable, Hashable, Codable {
    /// The day the record describes.
    public var asOf: Day
    public var subject: PublicSubject
    public var licences: [PublicLicence]
    public var penalties: [PublicPenalty]
    public var lists: [PublicListMembership]
}

/// The days an item is shown: from `from` until the day before `until` (exclusive; nil while no
/// end is known).
public struct PublicPeriod: Sendable, Hashable, Codable {
    public var from: Day
    public var until: Day?
    public init(from: Day, until: Day?) { self.from = from; self.until = until }
}

/// Where a published item came from: the bureau that sent it and the document it names.
public struct PublicSource: Sendable, Hashable, Codable {
    public var bureau: String
    public var documentNumber: String?
    /// The registry's record id (stable; the same in the query and the publication).
    public var recordID: Int64
    public init(bureau: String, documentNumber: String?, recordID: Int64) {
        self.bureau = bureau; self.documentNumber = documentNumber; self.recordID = recordID
    }
}

/// A market entity's identity: name, code, kind, status, registration authority.
public struct PublicSubject: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var kind: SubjectKind
    public var status: SubjectStatus
    /// 存续, 吊销, 注销, …
    public var statusLabel: String
    public var statusSince: Day?
    public var establishedOn: Day?
    public var registrationAuthority: String?
    /// Division code of the registering authority.
    public var region: String?
}

/// An administrative licence within its publicity period.
public struct PublicLicence: Sendable, Hashable, Codable {
    /// Stable key of the item (the registry's record key).
    public var key: String
    public var number: String
    public var type: String
    public var grantedOn: Day
    public var validUntil: Day?
    public var period: PublicPeriod
    public var source: PublicSource
}

/// An administrative penalty within the publicity period the credit-repair rules give it.
public struct PublicPenalty: Sendable, Hashable, Codable {
    public var key: String
    public var documentNumber: String
    public var decidedOn: Day
    public var types: [String]
    /// Fine in yuan, two decimals (`"50000.00"`).
    public var fineYuan: String
    /// `general` or `serious` (minor penalties are not published).
    public var severity: String
    public var authority: String
    public var period: PublicPeriod
    public var source: PublicSource
}

/// A membership of a public list while it lasts.
public struct PublicListMembership: Sendable, Hashable, Codable {
    public var key: String
    /// List id (`abnormal_operations`, `serious_violation`, `dishonest_debtor`, …).
    public var list: String
    /// The list's Chinese name.
    public var listName: String
    public var enteredOn: Day
    public var ground: String?
    /// The authority (department or court) that listed the entity.
    public var authority: String?
    public var period: PublicPeriod
    public var source: PublicSource
}

/// One entity found by a public name search: identity only (whether any measure applies is not
/// public).
public struct PublicSearchHit: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    /// The name that matched (a former name when ``former``).
    public var matchedName: String
    public var former: Bool
    public var kind: SubjectKind
    public var status: SubjectStatus
    public var statusLabel: String
    public init(code: String, name: String, matchedName: String, former: Bool, kind: SubjectKind, status: SubjectStatus) {
        self.code = code; self.name = name; self.matchedName = matchedName; self.former = former
        self.kind = kind; self.status = status; self.statusLabel = status.chinese
    }
}
