import CreditRegistry
import GRDB

/// Maps one schema-valid feed item to a ``PreparedRecord``: checks what the schema cannot
/// (check characters, real dates, amounts), and states how the record changes the derived
/// state. Runs on the parsing thread; touches no database.
struct FeedRecordMapper: Sendable {
    let header: FeedHeader
    let acceptLegacyChecksum: Bool
    /// The ingest day: a revocation that names no day takes effect on it.
    let today: Day

    func prepare(_ item: FeedItem) throws -> PreparedRecord {
        var scratch = CanonicalScratch()
        return try prepare(item, scratch: &scratch)
    }

    /// ``prepare(_:)`` with the payload built in `scratch`, which a caller mapping many items
    /// keeps from one item to the next (its buffers are reused, not allocated per item).
    func prepare(_ item: FeedItem, scratch: inout CanonicalScratch) throws -> PreparedRecord {
        let f = Fields(item: item, legacy: acceptLegacyChecksum)
        let today = self.today
        let payload = Self.canonicalJSON(item, scratch: &scratch)
        let hash = Self.sha256(payload)
        let bureau = header.bureau.rawValue
        let ref = "\(bureau):\(item.key)"
        let revoke = item.operation == .revoke
        var p = PreparedRecord(line: item.line, key: item.key, operation: item.operation, subject: "", kind: item.kind.rawValue,
                               effectiveFrom: nil, documentNumber: f.optional("documentNumber"), payload: payload, hash: hash,
                               identity: nil, apply: { _, _ in [] })
        p.source = .feed(bureau: bureau, acceptLegacyChecksum: acceptLegacyChecksum, mappedOn: today, item: .init(item))
        switch item.kind {
        case .registration:
            p = try registration(item, f, p)
            p.source = nil
        case .licence, .foodLicence:
            let code = try f.code("code")
            let number = try f.text("licenceNumber")
            let event = f.optional("event") ?? "grant"
            let granted = try f.day("validFrom")
            let decided = try f.day("decisionDate")
            let until = try f.optionalDay("validUntil")
            let revokedOn = try f.optionalDay("revokedOn") ?? ((event == "revoke" || revoke) ? decided : nil)
            let type = try f.text("licenceType")
            p.subject = code; p.effectiveFrom = decided
            let licenceKey = "\(bureau):licence:\(number)"
            p.apply = { facts, id in
                try facts.putLicence(LicenceFact(number: number, type: type, grantedOn: granted, validUntil: until,
                                                    revokedOn: revokedOn, recordID: id), subject: code, recordKey: licenceKey)
                return [code]
            }
        case .penalty, .foodPenalty:
            let code = try f.code("code")
            let decided = try f.day("decisionDate")
            let fact = PenaltyFact(documentNumber: try f.text("documentNumber"), decidedOn: decided,
                                   types: f.list("type"), fineMicroWan: try f.amount("fine"),
                                   severity: try f.severity("severity"), authority: f.optional("authority") ?? "",
                                   publicityEnd: try f.optionalDay("publicityEnd"), repairedOn: try f.optionalDay("repairedOn"),
                                   revokedOn: try f.optionalDay("revokedOn"))
            p.subject = code; p.effectiveFrom = decided
            p.apply = { facts, id in
                var v = fact
                v.recordID = id
                if revoke && v.revokedOn == nil { v.revokedOn = today }
                try facts.putPenalty(v, subject: code, recordKey: ref)
                return [code]
            }
        case .abnormalEntry, .seriousEntry, .foodDishonestEntry, .taxCase:
            p = try listEntry(item, f, p, ref: ref)
        case .abnormalExit, .seriousExit, .foodDishonestExit, .taxCaseRemoval:
            let code = try f.code("code")
            let on = try f.day("removedOn")
            let list = Self.list(for: item.kind)
            // Tax removals name the case number, which is the entry's key by convention; others may give entryKey.
            let entryKey = f.optional("entryKey").map { "\(bureau):\($0)" }
            p.subject = code; p.effectiveFrom = on
            if !revoke { p.waitsFor = entryKey.map { .entry(key: $0) } ?? .listing(subject: code, list: list, onOrBefore: on) }
            p.apply = { facts, id in
                _ = try facts.exitList(subject: code, list: list, entryKey: entryKey, on: revoke ? nil : on, recordID: revoke ? nil : id)
                return [code]
            }
        case .taxGrade:
            let code = try f.code("code")
            let year = try f.int("year")
            guard let grade = TaxGrade(rawValue: try f.text("grade")) else {
                throw RecordRejection(field: "grade", reason: "grade must be one of A, B, M, C, D")
            }
            let published = try f.day("publishedOn")
            guard published.year >= year else {
                throw RecordRejection(field: "publishedOn", reason: "grade for \(year) published on \(published), before the year it grades")
            }
            p.subject = code; p.effectiveFrom = published
            p.apply = { facts, id in
                if revoke { try facts.deleteTaxGrade(subject: code, year: year) } else {
                    try facts.putTaxGrade(TaxGradeFact(year: year, grade: grade, publishedOn: published, recordID: id), subject: code)
                }
                return [code]
            }
        }
        if item.kind != .registration {
            p.identity = SubjectIdentity(code: p.subject, name: f.optional("name") ?? "", source: .record)
        }
        return p
    }

    /// The list a list record speaks of.
    static func list(for kind: FeedItemKind) -> String {
        switch kind {
        case .abnormalEntry, .abnormalExit: KnownList.abnormalOperations
        case .seriousEntry, .seriousExit: KnownList.seriousViolation
        case .foodDishonestEntry, .foodDishonestExit: KnownList.foodDrugSeriousDishonest
        case .taxCase, .taxCaseRemoval: KnownList.majorTaxViolation
        default: ""
        }
    }

    private func listEntry(_ item: FeedItem, _ f: Fields, _ base: PreparedRecord, ref: String) throws -> PreparedRecord {
        var p = base
        let code = try f.code("code")
        let on = try f.day(item.kind == .taxCase ? "publishedOn" : "listedOn")
        let until = try f.optionalDay("until")
        let list = Self.list(for: item.kind)
        let ground = f.optional("ground")
        let reason = f.optional("reason") ?? f.optional("facts")
        let authority = f.optional("authority")
        let persons = try f.persons(defaultFrom: on)
        p.subject = code; p.effectiveFrom = on
        p.documentNumber = f.optional("documentNumber") ?? f.optional("caseNumber")
        // A tax case removal names the case number: key the entry by it too.
        let entryKey = item.kind == .taxCase ? "\(header.bureau.rawValue):\(try f.text("caseNumber"))" : ref
        let revoke = item.operation == .revoke
        p.apply = { facts, id in
            if revoke {
                try facts.deleteListEntry(entryKey: entryKey)
                return [code]
            }
            try facts.putListEntry(subject: code, list: list, enteredOn: on, ground: ground, reason: reason,
                                      authority: authority, entryKey: entryKey, recordID: id)
            if let until { _ = try facts.exitList(subject: code, list: list, entryKey: entryKey, on: until, recordID: id) }
            var touched = [code]
            for person in persons {
                try facts.introduce(code: person.code, kind: SubjectIdentity.kind(of: person.code), name: person.name,
                                       source: .record, recordID: id)
                try facts.add(Relation(from: code, role: person.role, to: person.code, validFrom: person.from, validTo: person.to,
                                          recordID: id), fromRegistration: false)
                touched.append(person.code)
            }
            return touched
        }
        return p
    }

    private func registration(_ item: FeedItem, _ f: Fields, _ base: PreparedRecord) throws -> PreparedRecord {
        var p = base
        let code = try f.code("code")
        guard let kind = SubjectKind(rawValue: try f.text("kind")) else { throw RecordRejection(field: "kind", reason: "unknown subject kind") }
        guard let status = SubjectStatus(rawValue: try f.text("status")) else { throw RecordRejection(field: "status", reason: "unknown status") }
        let name = try f.text("name")
        let established = try f.day("established")
        let eventDate = try f.day("eventDate")
        let statusDate = try f.optionalDay("statusDate")
        guard established <= eventDate else {
            throw RecordRejection(field: "eventDate", reason: "event date \(eventDate) is before the establishment date \(established)")
        }
        let authority = f.optional("authority")
        let formerNames = try (item.groups["formerName"] ?? []).map { g -> (String, Day?) in
            guard let n = g["name"], !n.isEmpty else { throw RecordRejection(field: "formerName/name", reason: "empty former name") }
            return (n, try g["until"].map { try Fields.parseDay($0, field: "formerName/until") })
        }
        let persons = try f.persons(defaultFrom: eventDate)
        let shareholders = try (item.groups["shareholder"] ?? []).map { g -> (String, String, Double?) in
            let c = try f.code(g["code"] ?? "", field: "shareholder/code")
            return (c, g["name"] ?? "", g["share"].flatMap(Double.init))
        }
        let legacy = try (item.groups["legacyId"] ?? []).map { g -> (AliasScheme, String) in
            try Fields.legacyID(scheme: g["scheme"] ?? "", value: g["value"] ?? "")
        }
        let region = code.count == 18 ? String(code.dropFirst(2).prefix(6)) : nil
        p.subject = code; p.effectiveFrom = eventDate
        p.documentNumber = nil
        p.apply = { facts, id in
            let since = statusDate ?? (status == .active ? established : eventDate)
            try facts.upsert(Subject(code: code, kind: kind, name: name, status: status, statusSince: since,
                                        establishedOn: established, region: region, authority: authority), recordID: id)
            try facts.addStatus(status, of: code, since: since, recordID: id)
            for (n, until) in formerNames { try facts.addName(n, of: code, from: nil, to: until) }
            for (scheme, value) in legacy { try facts.addAlias(scheme: scheme, value: value, subject: code) }
            var touched = [code]
            for person in persons {
                try facts.introduce(code: person.code, kind: SubjectIdentity.kind(of: person.code), name: person.name,
                                       source: .named, recordID: id)
                if person.role == .legalRepresentative && person.to == nil {
                    try facts.endRoles(of: code, role: .legalRepresentative, except: person.code, on: person.from)
                }
                try facts.add(Relation(from: code, role: person.role, to: person.code, validFrom: person.from,
                                          validTo: person.to, recordID: id))
                touched.append(person.code)
            }
            for (c, n, share) in shareholders {
                try facts.introduce(code: c, kind: SubjectIdentity.kind(of: c), name: n, source: .named, recordID: id)
                try facts.add(Relation(from: code, role: .shareholder, to: c, share: share, validFrom: eventDate, recordID: id))
            }
            return touched
        }
        return p
    }

    // MARK: - Canonical payload

    /// Canonical JSON of an item (sorted keys; groups as arrays of sorted objects), so equal
    /// content gives equal bytes whatever the element order or line. Stored content hashes
    /// depend on these bytes.
    static func canonicalJSON(_ item: FeedItem) -> String {
        var scratch = CanonicalScratch()
        return canonicalJSON(item, scratch: &scratch)
    }

    /// ``canonicalJSON(_:)`` written as UTF-8 bytes into `scratch` (appending to a `String` was
    /// the parsing thread's largest cost; allocating a buffer and a sorted copy of the fields
    /// for every item came next).
    static func canonicalJSON(_ item: FeedItem, scratch: inout CanonicalScratch) -> String {
        // The buffers are moved out (and back at the end), so each stays uniquely referenced.
        var out: [UInt8] = [], pairs: [(key: String, value: String)] = []
        swap(&out, &scratch.bytes); swap(&pairs, &scratch.pairs)
        defer { swap(&out, &scratch.bytes); swap(&pairs, &scratch.pairs) }
        out.removeAll(keepingCapacity: true)
        pairs.removeAll(keepingCapacity: true)
        appendRaw("{\"op\":\"", to: &out); appendRaw(item.operation.rawValue, to: &out)
        appendRaw("\",\"kind\":\"", to: &out); appendRaw(item.kind.rawValue, to: &out)
        appendRaw("\",\"key\":", to: &out)
        JSONText.appendString(item.key, to: &out)
        pairs.append(contentsOf: item.fields)
        pairs.sort(by: { $0.key < $1.key })
        for (k, v) in pairs {
            out.append(UInt8(ascii: ",")); JSONText.appendString(k, to: &out); out.append(UInt8(ascii: ":")); JSONText.appendString(v, to: &out)
        }
        for (g, objects) in item.groups.sorted(by: { $0.key < $1.key }) {
            out.append(UInt8(ascii: ",")); JSONText.appendString(g, to: &out); appendRaw(":[", to: &out)
            for (i, obj) in objects.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                pairs.removeAll(keepingCapacity: true)
                pairs.append(contentsOf: obj)
                pairs.sort(by: { $0.key < $1.key })
                for (j, (k, v)) in pairs.enumerated() {
                    if j > 0 { out.append(UInt8(ascii: ",")) }
                    JSONText.appendString(k, to: &out); out.append(UInt8(ascii: ":")); JSONText.appendString(v, to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendRaw(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    static func sha256(_ s: String) -> String { Digest.sha256Hex(s.utf8) }
}

/// Buffers ``FeedRecordMapper/canonicalJSON(_:scratch:)`` reuses from one item to the next.
struct CanonicalScratch {
    var bytes: [UInt8] = []
    var pairs: [(key: String, value: String)] = []
}

/// Cheap test for "this 18-character code is a resident ID" (province prefix and digits).
enum ResidentLike {
    static func looksPersonal(_ code: String) -> Bool {
        let u = Array(code.utf8)
        guard u.count == 18, u[0...16].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        let p = Int(u[0] - 48) * 10 + Int(u[1] - 48)
        return (11...82).contains(p)
    }
}
