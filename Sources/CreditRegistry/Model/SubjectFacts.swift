/// Everything the rule engine may know of one subject: the input of evaluation.
///
/// Built by the store (``Registry/facts(of:)``) from the derived state and the records; a
/// plain value so that rules can be tested on hand-written facts without a database.
/// Facts carry their own valid time; evaluation "as of" a day filters them.
public struct SubjectFacts: Sendable, Hashable, Codable {
    public var code: String
    public var kind: SubjectKind
    public var name: String
    public var status: SubjectStatus
    /// The day the status took effect (e.g. the revocation date), if known.
    public var statusSince: Day?
    public var listEntries: [ListEntryFact]
    public var taxGrades: [TaxGradeFact]
    public var penalties: [PenaltyFact]
    public var licences: [LicenceFact]
    /// Relations in which this subject is the organisation (`from`): its key persons.
    public var keyPersons: [RelationFact]
    /// Relations in which this subject is the person (`to`): the organisations it serves.
    public var roles: [RelationFact]
    /// Facts a feed or an officer established that the records cannot show (unpaid tax, a sentence, …).
    public var verifications: [VerificationFact] = []

    public init(code: String, kind: SubjectKind, name: String, status: SubjectStatus = .active,
                statusSince: Day? = nil, listEntries: [ListEntryFact] = [], taxGrades: [TaxGradeFact] = [],
                penalties: [PenaltyFact] = [], licences: [LicenceFact] = [],
                keyPersons: [RelationFact] = [], roles: [RelationFact] = []) {
        self.code = code; self.kind = kind; self.name = name; self.status = status
        self.statusSince = statusSince; self.listEntries = listEntries; self.taxGrades = taxGrades
        self.penalties = penalties; self.licences = licences; self.keyPersons = keyPersons; self.roles = roles
    }
}

/// A subject's membership of a list: from the entry until the exit (exclusive), if any.
public struct ListEntryFact: Sendable, Hashable, Codable {
    public var list: String
    public var enteredOn: Day
    /// The day it left the list (exit record, removal, repair); nil while listed.
    public var exitedOn: Day?
    /// Listing ground as the feed gives it (e.g. "1".."6" for dishonest debtors).
    public var ground: String?
    /// Records that entered (first) and exited (second, if any).
    public var recordIDs: [Int64]

    public init(list: String, enteredOn: Day, exitedOn: Day? = nil, ground: String? = nil, recordIDs: [Int64] = []) {
        self.list = list; self.enteredOn = enteredOn; self.exitedOn = exitedOn; self.ground = ground; self.recordIDs = recordIDs
    }

    /// True when listed on `day`.
    public func isActive(on day: Day) -> Bool { enteredOn <= day && (exitedOn.map { day < $0 } ?? true) }
}

/// A published annual tax credit grade.
public struct TaxGradeFact: Sendable, Hashable, Codable {
    public var year: Int
    public var grade: TaxGrade
    public var publishedOn: Day
    public var recordID: Int64
    public init(year: Int, grade: TaxGrade, publishedOn: Day, recordID: Int64 = 0) {
        self.year = year; self.grade = grade; self.publishedOn = publishedOn; self.recordID = recordID
    }
}

/// An administrative penalty decision.
public struct PenaltyFact: Sendable, Hashable, Codable {
    public var documentNumber: String
    public var decidedOn: Day
    /// Penalty types (警告, 罚款, 没收违法所得, 责令停产停业, 吊销许可证, …).
    public var types: [String]
    /// Fine in units of 0.000001 万元 (i.e. 0.01 yuan), so that sums are exact.
    public var fineMicroWan: Int64
    public var severity: PenaltySeverity
    public var authority: String
    /// Publicity end date given by the feed, if any.
    public var publicityEnd: Day?
    /// Day credit repair took effect, if repaired.
    public var repairedOn: Day?
    /// Day the decision was revoked (撤销), if it was.
    public var revokedOn: Day?
    public var recordID: Int64
    public init(documentNumber: String, decidedOn: Day, types: [String], fineMicroWan: Int64 = 0,
                severity: PenaltySeverity = .general, authority: String = "", publicityEnd: Day? = nil,
                repairedOn: Day? = nil, revokedOn: Day? = nil, recordID: Int64 = 0) {
        self.documentNumber = documentNumber; self.decidedOn = decidedOn; self.types = types
        self.fineMicroWan = fineMicroWan; self.severity = severity; self.authority = authority
        self.publicityEnd = publicityEnd; self.repairedOn = repairedOn; self.revokedOn = revokedOn; self.recordID = recordID
    }
    /// Fine in 万元.
    public var fineWan: Double { Double(fineMicroWan) / 1_000_000 }
}

/// An administrative licence.
public struct LicenceFact: Sendable, Hashable, Codable {
    public var number: String
    /// Licence type, e.g. 食品经营许可证.
    public var type: String
    public var grantedOn: Day
    public var validUntil: Day?
    public var revokedOn: Day?
    public var recordID: Int64
    public init(number: String, type: String, grantedOn: Day, validUntil: Day? = nil, revokedOn: Day? = nil, recordID: Int64 = 0) {
        self.number = number; self.type = type; self.grantedOn = grantedOn; self.validUntil = validUntil
        self.revokedOn = revokedOn; self.recordID = recordID
    }
}

/// A role held between an organisation (`from`) and a person or organisation (`to`).
public struct RelationFact: Sendable, Hashable, Codable {
    public var role: RelationRole
    public var from: String
    public var to: String
    public var validFrom: Day
    /// Exclusive end; nil while the role is held.
    public var validTo: Day?
    public var recordID: Int64
    public init(role: RelationRole, from: String, to: String, validFrom: Day, validTo: Day? = nil, recordID: Int64 = 0) {
        self.role = role; self.from = from; self.to = to; self.validFrom = validFrom; self.validTo = validTo; self.recordID = recordID
    }
    /// True when the role is held on `day`.
    public func isHeld(on day: Day) -> Bool { validFrom <= day && (validTo.map { day < $0 } ?? true) }
    /// The canonical order of a subject's roles (``SubjectFacts/roles``): by organisation, role, start.
    public static func roleOrder(_ a: RelationFact, _ b: RelationFact) -> Bool {
        (a.from, a.role.rawValue, a.validFrom) < (b.from, b.role.rawValue, b.validFrom)
    }
}

extension SubjectFacts {
    private enum CodingKeys: String, CodingKey {
        case code, kind, name, status, statusSince, listEntries, taxGrades, penalties, licences, keyPersons, roles, verifications
    }

    /// Decodes facts written before verifications existed (they have none).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.decode(String.self, forKey: .code), kind: try c.decode(SubjectKind.self, forKey: .kind),
                  name: try c.decode(String.self, forKey: .name), status: try c.decode(SubjectStatus.self, forKey: .status),
                  statusSince: try c.decodeIfPresent(Day.self, forKey: .statusSince),
                  listEntries: try c.decode([ListEntryFact].self, forKey: .listEntries),
                  taxGrades: try c.decode([TaxGradeFact].self, forKey: .taxGrades),
                  penalties: try c.decode([PenaltyFact].self, forKey: .penalties),
                  licences: try c.decode([LicenceFact].self, forKey: .licences),
                  keyPersons: try c.decode([RelationFact].self, forKey: .keyPersons),
                  roles: try c.decode([RelationFact].self, forKey: .roles))
        verifications = try c.decodeIfPresent([VerificationFact].self, forKey: .verifications) ?? []
    }
}
