import CreditRegistry
import Decisions
/// Everything an officer sees about one subject: identity, status history, identifiers, names,
/// key persons and related subjects, records with their sources, and the measures in force with
/// the records that caused them. Built by ``ReportBuilder``; a plain value, `Codable` for JSON.
///
/// Natural persons' resident IDs (and names of other natural persons shown in the report) are
/// masked unless the report was built with `unmask`.
public struct SubjectReport: Sendable, Hashable, Codable {
    /// The day the report describes.
    public var asOf: Day
    /// The department whose measures come first, if one was given.
    public var department: String?
    /// True when personal identifiers are masked.
    public var masked: Bool
    public var identity: Identity
    public var statusHistory: [StatusChange]
    public var aliases: [Alias]
    public var names: [Name]
    /// Persons (or organisations) holding roles in this subject.
    public var keyPersons: [Link]
    /// Organisations in which this subject holds a role.
    public var relatedSubjects: [Link]
    public var listEntries: [ListEntry]
    public var penalties: [Penalty]
    public var licences: [Licence]
    public var taxGrades: [TaxGrade]
    /// Measures in force on ``asOf``: the department's first, then punishments before incentives.
    public var measures: [Measure]

    /// Who the subject is.
    public struct Identity: Sendable, Hashable, Codable {
        public var code: String
        public var kind: SubjectKind
        public var name: String
        public var status: SubjectStatus
        /// Chinese label of the status (存续, 吊销, …).
        public var statusLabel: String
        public var statusSince: Day?
        public var establishedOn: Day?
        public var region: String?
        public var authority: String?
    }

    /// One status change, oldest first.
    public struct StatusChange: Sendable, Hashable, Codable {
        public var since: Day
        public var status: SubjectStatus
        public var recordID: Int64?
    }

    /// An identifier the subject is known by.
    public struct Alias: Sendable, Hashable, Codable {
        public var scheme: AliasScheme
        public var value: String
    }

    /// A name the subject bears or bore.
    public struct Name: Sendable, Hashable, Codable {
        public var name: String
        public var from: Day?
        public var to: Day?
        public var current: Bool
    }

    /// A role between this subject and another.
    public struct Link: Sendable, Hashable, Codable {
        public var role: RelationRole
        /// The other subject's code (masked for natural persons) and name.
        public var code: String
        public var name: String?
        public var kind: SubjectKind?
        public var share: Double?
        public var from: Day
        public var to: Day?
        /// True when held on the report's day.
        public var current: Bool
    }

    /// Where a fact came from: record, bureau, feed file, line, document number.
    public struct Source: Sendable, Hashable, Codable {
        public var recordID: Int64
        public var kind: String
        public var bureau: String
        public var feed: String?
        public var file: String?
        public var line: Int
        public var documentNumber: String?
        public var effectiveFrom: Day?
        public var recordedAt: String
    }

    /// A list membership, with its entry and exit sources.
    public struct ListEntry: Sendable, Hashable, Codable {
        public var list: String
        public var enteredOn: Day
        public var exitedOn: Day?
        public var active: Bool
        public var ground: String?
        public var reason: String?
        public var authority: String?
        public var entry: Source?
        public var exit: Source?
    }

    /// An administrative penalty decision.
    public struct Penalty: Sendable, Hashable, Codable {
        public var documentNumber: String
        public var decidedOn: Day
        public var types: [String]
        /// Fine in yuan (two decimals exact as a string, e.g. `"50000.00"`).
        public var fineYuan: String
        public var severity: String
        public var authority: String?
        public var publicityEnd: Day?
        public var repairedOn: Day?
        public var revokedOn: Day?
        public var source: Source?
    }

    /// An administrative licence.
    public struct Licence: Sendable, Hashable, Codable {
        public var number: String
        public var type: String
        public var grantedOn: Day
        public var validUntil: Day?
        public var revokedOn: Day?
        public var source: Source?
    }

    /// An annual tax credit grade.
    public struct TaxGrade: Sendable, Hashable, Codable {
        public var year: Int
        public var grade: String
        public var publishedOn: Day
        public var source: Source?
    }

    /// A measure in force, with the records that caused it.
    public struct Measure: Sendable, Hashable, Codable {
        public var measure: String
        public var text: String
        public var kind: StoredDecision.Kind
        public var category: String
        public var department: String
        public var departmentName: String
        public var basis: String
        public var memorandum: String
        public var rule: String
        public var validFrom: Day
        public var validUntil: Day?
        public var financial: Bool
        /// Set when the measure reaches this subject through another one (masked if a person).
        public var viaCode: String?
        public var viaRole: String?
        /// True when the measure belongs to the department the report was asked for.
        public var forDepartment: Bool
        public var causes: [Source]
        public var rulesetVersion: String
        /// Facts the registry cannot see that the measure rests on: it applies once they are verified.
        public var toVerify: [String] = []
        /// Departments cooperating with the lead ``department``.
        public var cooperating: [String] = []
        /// What departments reported doing under this measure (feedback), oldest first.
        public var applied: [Application] = []
    }

    /// A department's feedback: it applied the measure on a day, under a case number.
    public struct Application: Sendable, Hashable, Codable {
        public var department: String
        public var appliedOn: Day
        public var caseNumber: String
        public var officer: String

        public init(department: String, appliedOn: Day, caseNumber: String, officer: String) {
            self.department = department; self.appliedOn = appliedOn; self.caseNumber = caseNumber; self.officer = officer
        }
    }
}
