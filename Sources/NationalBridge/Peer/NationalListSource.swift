import Foundation

/// The national lists the reference peer serves, read from CSV files in a directory: rows of
/// the multi-list format (`list,code,id_number,…`) are grouped by their `list`; a file in the
/// dishonest-debtor format is the `dishonest_debtor` list. The cursor is the row offset.
public struct NationalListSource: Sendable {
    /// Per list: the header line and the data lines, in file order.
    let lists: [String: (header: String, rows: [String])]

    public init(directory: String?) throws {
        var lists: [String: (header: String, rows: [String])] = [:]
        if let directory {
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".csv") }.sorted()
            for f in files {
                let text = try String(contentsOfFile: "\(directory)/\(f)", encoding: .utf8)
                var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                    .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r\u{FEFF}")) }
                    .filter { !$0.isEmpty }
                guard !lines.isEmpty else { continue }
                let header = lines.removeFirst()
                if header.hasPrefix("list,") {
                    for line in lines {
                        let list = String(line.prefix { $0 != "," })
                        lists[list, default: (header, [])].rows.append(line)
                    }
                } else {
                    lists["dishonest_debtor", default: (header, [])].rows.append(contentsOf: lines)
                }
            }
        }
        self.lists = lists
    }

    /// The page of `list` at `cursor`: CSV text (header included), the next cursor, whether the list ends there.
    func page(list: String, cursor: String, limit: Int) throws -> NationalListPage {
        guard let l = lists[list] else { throw ExchangeErrorCode.unknownList }
        guard let start = Int(cursor), start >= 0, start <= l.rows.count else { throw ExchangeErrorCode.badCursor }
        let end = min(l.rows.count, start + max(1, limit))
        var csv = l.header + "\n"
        for row in l.rows[start..<end] { csv += row + "\n" }
        return NationalListPage(list: list, cursor: cursor, nextCursor: String(end), complete: end == l.rows.count, csv: csv)
    }
}
