import CreditRegistry
import GRDB

/// Maps a national list row to a ``PreparedRecord``: checks the list, the subject's identifier,
/// the ground and dates, builds the canonical payload, and states how the row changes the list
/// entries. The row introduces its subject when the registry does not know it (a natural person
/// by resident ID, an organisation by USCC), with the name as the list wrote it. Touches no
/// database.
struct NationalListMapper: Sendable {
    static let bureau = "national"

    func prepare(_ row: NationalListRow) throws -> PreparedRecord {
        let list = row.list
        guard KnownList.national.contains(list) else {
            throw RecordRejection(field: "list", reason: "unknown list '\(list)': expected one of \(KnownList.national.joined(separator: ", "))")
        }
        guard !row.caseNumber.isEmpty else { throw RecordRejection(field: "case_number", reason: "missing case number") }
        // Dishonest-debtor rows keep the case number as their key (the single-list layout did).
        let key = list == KnownList.dishonestDebtor ? row.caseNumber : "\(list):\(row.caseNumber)"
        let code = try Self.subject(row)
        let ground = row.ground
        if list == KnownList.dishonestDebtor {
            guard ["1", "2", "3", "4", "5", "6"].contains(ground) else {
                throw RecordRejection(field: "ground", reason: "ground must be 1–6 (法释〔2017〕7号 art. 1), got '\(ground)'")
            }
        }
        let listed: Day
        do { listed = try Day(row.listedOn) } catch { throw RecordRejection(field: "listed_on", reason: error.description) }
        let exited = try Self.exit(row.exitedOn, after: listed)
        var j = JSONText()
        j.object { j in
            if list != KnownList.dishonestDebtor { j.field("list") { $0.string(list) } }
            j.field("code") { $0.string(code) }
            j.field("ground") { $0.string(ground) }
            j.field("case_number") { $0.string(row.caseNumber) }
            j.field("court") { $0.string(row.authority) }
            j.field("listed_on") { $0.string(listed.description) }
            j.field("exited_on") { $0.string(exited?.description ?? "") }
        }
        let payload = j.text
        let authority = row.authority
        let entryKey = "\(Self.bureau):\(key)"
        let reason = list == KnownList.dishonestDebtor ? "失信被执行人（第\(ground)项）" : (ground.isEmpty ? nil : ground)
        let storedGround: String? = ground.isEmpty ? nil : ground
        var p = PreparedRecord(
            line: row.line, key: key, operation: .upsert, subject: code, kind: list, effectiveFrom: listed,
            documentNumber: row.caseNumber, payload: payload, hash: Digest.sha256Hex(payload.utf8),
            identity: SubjectIdentity(code: code, name: row.name, source: .list),
            apply: { facts, id in
                try facts.putListEntry(subject: code, list: list, enteredOn: listed, ground: storedGround,
                                          reason: reason, authority: authority, entryKey: entryKey, recordID: id)
                if let exited {
                    _ = try facts.exitList(subject: code, list: list, entryKey: entryKey, on: exited, recordID: id)
                }
                return [code]
            })
        p.source = .national(row)
        return p
    }

    /// The registry key of the row's subject: exactly one of a USCC (`code`) or a resident ID
    /// (`id_number`); a single-list row's `code` may be either.
    private static func subject(_ row: NationalListRow) throws -> String {
        switch (row.code.isEmpty, row.idNumber.isEmpty) {
        case (true, true):
            throw RecordRejection(field: "code", reason: "neither a code nor an ID number: a row names exactly one subject")
        case (false, false):
            throw RecordRejection(field: "id_number", reason: "both a code and an ID number: a row names exactly one subject")
        case (false, true):
            do {
                let parsed = try SubjectCode.parse(row.code)
                if case .resident = parsed, row.list != KnownList.dishonestDebtor || !row.idNumber.isEmpty {
                    throw RecordRejection(field: "code", reason: "a resident ID belongs in id_number, not in code")
                }
                return parsed.key
            } catch let r as RecordRejection { throw r } catch {
                throw RecordRejection(field: "code", reason: "\(error)")
            }
        case (true, false):
            do {
                guard case .resident(let id) = try SubjectCode.parse(row.idNumber), row.idNumber.count == 18 else {
                    throw RecordRejection(field: "id_number", reason: "not an 18-character resident ID")
                }
                return id.description
            } catch let r as RecordRejection { throw r } catch {
                throw RecordRejection(field: "id_number", reason: "\(PersonalData.masked(row.idNumber)): \(error)")
            }
        }
    }

    /// The exit day, when the row has one; it must come after the listing.
    private static func exit(_ text: String, after listed: Day) throws -> Day? {
        guard !text.isEmpty else { return nil }
        let exited: Day
        do { exited = try Day(text) } catch { throw RecordRejection(field: "exited_on", reason: error.description) }
        guard exited > listed else { throw RecordRejection(field: "exited_on", reason: "exit \(exited) is not after listing \(listed)") }
        return exited
    }
}
