import CreditRegistry
import GRDB

/// Maps a national list row to a ``PreparedRecord``: checks the code, ground and dates, builds
/// the canonical payload, and states how the row changes the list entries. Touches no database.
struct NationalListMapper: Sendable {
    static let bureau = "national"

    func prepare(_ row: NationalListRow) throws -> PreparedRecord {
        let key = row.caseNumber
        guard !key.isEmpty else { throw RecordRejection(field: "case_number", reason: "missing case number") }
        let code: String
        do { code = try SubjectCode.parse(row.code).key } catch {
            throw RecordRejection(field: "code", reason: "\(error)")
        }
        let ground = row.ground
        guard ["1", "2", "3", "4", "5", "6"].contains(ground) else {
            throw RecordRejection(field: "ground", reason: "ground must be 1–6 (法释〔2017〕7号 art. 1), got '\(ground)'")
        }
        let listed: Day
        do { listed = try Day(row.listedOn) } catch { throw RecordRejection(field: "listed_on", reason: error.description) }
        let exited = try Self.exit(row.exitedOn, after: listed)
        var j = JSONText()
        j.object { j in
            j.field("code") { $0.string(code) }
            j.field("ground") { $0.string(ground) }
            j.field("case_number") { $0.string(key) }
            j.field("court") { $0.string(row.court) }
            j.field("listed_on") { $0.string(listed.description) }
            j.field("exited_on") { $0.string(exited?.description ?? "") }
        }
        let payload = j.text
        let court = row.court
        let entryKey = "\(Self.bureau):\(key)"
        return PreparedRecord(
            line: row.line, key: key, operation: .upsert, subject: code, kind: "dishonest_debtor", effectiveFrom: listed,
            documentNumber: key, payload: payload, hash: Digest.sha256Hex(payload.utf8), requiresRegisteredSubject: true,
            apply: { registry, db, id in
                try registry.putListEntry(subject: code, list: KnownList.dishonestDebtor, enteredOn: listed, ground: ground,
                                          reason: "失信被执行人（第\(ground)项）", authority: court, entryKey: entryKey, recordID: id, in: db)
                if let exited {
                    _ = try registry.exitList(subject: code, list: KnownList.dishonestDebtor, entryKey: entryKey, on: exited, recordID: id, in: db)
                }
                return [code]
            })
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
