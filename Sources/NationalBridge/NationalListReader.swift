import CreditRegistry
import FeedIngest
import Foundation

/// Reads a national list file — CSV as the national platform distributes it — into rows for
/// ``CreditOperations/importNationalList(_:)``.
///
/// The header is `list,code,id_number,name,ground,case_number,authority,listed_on,exited_on`
/// (several lists in one file; `code` a USCC or empty, `id_number` an 18-character resident ID
/// or empty, exactly one of them given). The single-list header
/// `code,name,ground,case_number,court,listed_on,exited_on` is read as dishonest judgment
/// debtors. UTF-8, a BOM is allowed, CRLF or LF line ends, RFC 4180 quoting. A line that cannot
/// be read as a row (broken quoting, wrong number of columns) becomes a reject with its line
/// number; checking the cells is the importer's job.
public struct NationalListReader: Sendable {
    /// The multi-list header with person columns.
    public static let header = ["list", "code", "id_number", "name", "ground", "case_number", "authority", "listed_on", "exited_on"]
    /// The single-list (dishonest judgment debtors) header, still accepted.
    public static let singleListHeader = ["code", "name", "ground", "case_number", "court", "listed_on", "exited_on"]

    public init() {}

    /// Reads `path`; throws ``NationalListError`` when the file cannot be used at all.
    public func read(path: String) throws -> NationalListFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NationalListError(file: path, line: nil, reason: "cannot read the file")
        }
        return try read(bytes: Array(data), file: path)
    }

    /// Reads a list from bytes (`file` names it in messages and reports).
    public func read(bytes: [UInt8], file: String) throws -> NationalListFile {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard String(validating: body, as: UTF8.self) != nil else {
            throw NationalListError(file: file, line: nil, reason: "not UTF-8 text")
        }
        var rows: [Result<NationalListRow, IngestReport.Reject>] = []
        var lineNumber = 0
        var layout: [String]?
        for var line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let split = Array(line).withUnsafeBufferPointer { CSVLine.split($0, delimiter: UInt8(ascii: ",")) }
            guard let columns = layout else {
                let names = (try? split.get())?.map { $0.trimmingCharacters(in: .whitespaces) }
                guard let names, names == Self.header || names == Self.singleListHeader else {
                    throw NationalListError(file: file, line: lineNumber,
                                            reason: "header must be \(Self.header.joined(separator: ",")) (or the single-list \(Self.singleListHeader.joined(separator: ",")))")
                }
                layout = names
                continue
            }
            switch split {
            case .failure(let failure):
                rows.append(.failure(IngestReport.Reject(line: lineNumber, key: nil, field: "row", reason: failure.reason)))
            case .success(let raw):
                let cells = raw.map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count == columns.count else {
                    rows.append(.failure(IngestReport.Reject(line: lineNumber, key: nil, field: "row",
                                                             reason: "expected \(columns.count) columns, found \(cells.count)")))
                    continue
                }
                if columns == Self.header {
                    rows.append(.success(NationalListRow(line: lineNumber, list: cells[0], code: cells[1], idNumber: cells[2], name: cells[3],
                                                         ground: cells[4], caseNumber: cells[5], authority: cells[6], listedOn: cells[7],
                                                         exitedOn: cells[8])))
                } else {
                    rows.append(.success(NationalListRow(line: lineNumber, code: cells[0], name: cells[1], ground: cells[2],
                                                         caseNumber: cells[3], court: cells[4], listedOn: cells[5], exitedOn: cells[6])))
                }
            }
        }
        guard layout != nil else { throw NationalListError(file: file, line: 1, reason: "empty file: no header") }
        return NationalListFile(file: file, digest: Digest.sha256Hex(bytes), rows: rows)
    }
}

/// A national list file that cannot be imported at all (nothing of it is stored).
public struct NationalListError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var reason: String
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}
