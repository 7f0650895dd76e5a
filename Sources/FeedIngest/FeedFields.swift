import CreditRegistry
/// Typed access to an item's fields, turning each problem into a ``RecordRejection`` that
/// names the field.
struct Fields {
    let item: FeedItem
    let legacy: Bool

    init(item: FeedItem, legacy: Bool) { self.item = item; self.legacy = legacy }

    func optional(_ name: String) -> String? {
        guard let v = item.fields[name], !v.isEmpty else { return nil }
        return v
    }

    func text(_ name: String) throws -> String {
        guard let v = optional(name) else { throw RecordRejection(field: name, reason: "missing \(name)") }
        return v
    }

    func list(_ name: String) -> [String] {
        (optional(name) ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func int(_ name: String) throws -> Int {
        guard let v = Int(try text(name)) else { throw RecordRejection(field: name, reason: "\(name) is not a whole number") }
        return v
    }

    static func parseDay(_ s: String, field: String) throws -> Day {
        do { return try Day(s) } catch { throw RecordRejection(field: field, reason: "\(error.description)") }
    }

    func day(_ name: String) throws -> Day { try Self.parseDay(try text(name), field: name) }

    func optionalDay(_ name: String) throws -> Day? { try optional(name).map { try Self.parseDay($0, field: name) } }

    /// An amount in 万元 with at most 6 decimals, as integer millionths of 万元 (0.01 yuan).
    func amount(_ name: String) throws -> Int64 {
        guard let s = optional(name) else { return 0 }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0,
              parts.count == 1 || (parts[1].count <= 6 && parts[1].allSatisfy(\.isNumber)) else {
            throw RecordRejection(field: name, reason: "\(name) '\(s)' is not an amount in 万元 with at most 6 decimals")
        }
        let frac = parts.count == 2 ? String(parts[1]) : ""
        let micro = Int64(frac.padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
        return whole * 1_000_000 + micro
    }

    func severity(_ name: String) throws -> PenaltySeverity {
        guard let s = PenaltySeverity(rawValue: try text(name)) else {
            throw RecordRejection(field: name, reason: "severity must be minor, general or serious")
        }
        return s
    }

    /// A subject code (USCC or resident ID), validated with check characters, as the registry key.
    func code(_ name: String) throws -> String { try code(try text(name), field: name) }

    func code(_ value: String, field: String) throws -> String {
        do {
            return try SubjectCode.parse(value, options: legacy ? [.acceptLegacyChecksum] : []).key
        } catch {
            throw RecordRejection(field: field, reason: "\(error)")
        }
    }

    /// The persons of a record (legal representative, finance chief, …), validated.
    func persons(defaultFrom: Day) throws -> [(role: RelationRole, code: String, name: String, from: Day, to: Day?)] {
        try (item.groups["person"] ?? []).enumerated().map { i, g in
            let field = "person[\(i + 1)]"
            let roleText = g["role"] ?? ""
            let role: RelationRole = roleText == "intermediary" ? .directlyResponsible : (RelationRole(rawValue: roleText) ?? .directlyResponsible)
            let c = try code(g["id"] ?? "", field: "\(field)/id")
            let from = try g["from"].map { try Self.parseDay($0, field: "\(field)/from") } ?? defaultFrom
            let to = try g["to"].map { try Self.parseDay($0, field: "\(field)/to") } ?? g["bannedUntil"].map { try Self.parseDay($0, field: "\(field)/bannedUntil") }
            if let to, to <= from { throw RecordRejection(field: "\(field)/to", reason: "role ends \(to), not after it starts \(from)") }
            return (role, c, g["name"] ?? "", from, to)
        }
    }

    /// A legacy identifier, validated by its scheme.
    static func legacyID(scheme: String, value: String) throws -> (AliasScheme, String) {
        switch scheme {
        case "registration_number":
            do { return (.registrationNumber, try RegistrationNumber(validating: value).description) } catch {
                throw RecordRejection(field: "legacyId/value", reason: "\(error)")
            }
        case "organisation_code", "organization_code":
            do { return (.organizationCode, try OrganizationCode(validating: value).compact) } catch {
                throw RecordRejection(field: "legacyId/value", reason: "\(error)")
            }
        case "tax_number":
            return (.taxNumber, IdentifierText.normalise(value))
        default:
            throw RecordRejection(field: "legacyId/scheme", reason: "unknown legacy identifier scheme '\(scheme)'")
        }
    }
}

import Foundation
