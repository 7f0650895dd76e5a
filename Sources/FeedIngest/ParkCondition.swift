import CreditRegistry
import Foundation
import GRDB

/// What a record that cannot be applied yet waits for. Checked before the record is written;
/// a record whose condition does not hold is parked (table `parked`) and applied in the
/// transaction of the first feed after which it holds.
package enum ParkCondition: Sendable, Hashable {
    /// The record with this bureau key (a revocation before the record it revokes).
    case record(bureau: String, key: String)
    /// The list entry with this entry key (an exit naming its entry before the entry).
    case entry(key: String)
    /// Some entry of `subject` on `list` that began on or before `day` (an exit naming no entry).
    case listing(subject: String, list: String, onOrBefore: Day)

    /// The stored form: a kind and a key.
    package var stored: (kind: String, key: String) {
        switch self {
        case .record(let bureau, let key): ("record", "\(bureau):\(key)")
        case .entry(let key): ("entry", key)
        case .listing(let subject, let list, let day): ("listing", "\(subject)|\(list)|\(day)")
        }
    }

    /// Why a record waits, for `feeds pending` (personal ID numbers masked).
    package var reason: String {
        switch self {
        case .record(let bureau, let key): "revokes record \(bureau):\(key), which has not arrived yet"
        case .entry(let key): "exits list entry \(key), which has not arrived yet"
        case .listing(let subject, let list, let day):
            "exits \(PersonalData.masked(subject)) from \(list), but no entry on or before \(day) has arrived yet"
        }
    }

    /// True when the condition holds in `db`.
    func holds(in db: Database) throws -> Bool {
        switch self {
        case .record(let bureau, let key):
            return try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM record_head WHERE bureau = ? AND bureau_key = ?)"),
                                     arguments: [bureau, key]) ?? false
        case .entry(let key):
            return try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM list_entry WHERE entry_key = ?)"),
                                     arguments: [key]) ?? false
        case .listing(let subject, let list, let day):
            return try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS(SELECT 1 FROM list_entry WHERE subject_code = ? AND list = ? AND entered_on <= ?)
                """), arguments: [subject, list, day.description]) ?? false
        }
    }

    package init?(stored kind: String, key: String) {
        switch kind {
        case "record":
            guard let i = key.firstIndex(of: ":") else { return nil }
            self = .record(bureau: String(key[..<i]), key: String(key[key.index(after: i)...]))
        case "entry":
            self = .entry(key: key)
        case "listing":
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let day = try? Day(parts[2]) else { return nil }
            self = .listing(subject: parts[0], list: parts[1], onOrBefore: day)
        default:
            return nil
        }
    }
}

/// What a parked record is mapped again from: the item as the bureau sent it (with the ingest
/// options and day it was first mapped with), or the national list row.
package enum ParkedItem: Sendable, Codable, Hashable {
    case feed(bureau: String, acceptLegacyChecksum: Bool, mappedOn: Day, item: StoredItem)
    case national(NationalListRow)

    /// A ``FeedItem`` in stored form.
    package struct StoredItem: Sendable, Codable, Hashable {
        var line: Int
        var kind: FeedItemKind
        var key: String
        var operation: RecordOperation
        var fields: [String: String]
        var groups: [String: [[String: String]]]

        init(_ item: FeedItem) {
            line = item.line; kind = item.kind; key = item.key; operation = item.operation
            fields = item.fields; groups = item.groups
        }

        var item: FeedItem { FeedItem(line: line, kind: kind, key: key, operation: operation, fields: fields, groups: groups, byteOffset: 0) }
    }

    /// Maps the item again into the record it was.
    package func prepare() throws -> PreparedRecord {
        switch self {
        case .feed(let bureau, let legacy, let mappedOn, let stored):
            guard let b = Bureau(rawValue: bureau) else { throw RecordRejection(field: nil, reason: "unknown bureau \(bureau)") }
            let header = FeedHeader(bureau: b, feedID: "", sequence: 0, generatedAt: "", kind: .delta, schemaVersion: "1.0")
            return try FeedRecordMapper(header: header, acceptLegacyChecksum: legacy, today: mappedOn).prepare(stored.item)
        case .national(let row):
            return try NationalListMapper().prepare(row)
        }
    }
}

extension ParkedItem {
    /// The JSON stored in `parked.item`.
    package static func encode(_ item: ParkedItem) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(item), as: UTF8.self)
    }

    package static func decode(_ text: String) throws -> ParkedItem {
        try JSONDecoder().decode(ParkedItem.self, from: Data(text.utf8))
    }
}
