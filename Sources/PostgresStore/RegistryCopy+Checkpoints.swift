import CreditRegistry
import Foundation
import NIOCore
import PostgresNIO

extension RegistryCopy {
    /// Where PostgreSQL keeps the audit log's signed checkpoints (SQLite: the checkpoint file).
    static let checkpointTable = "audit_checkpoint"

    /// The checkpoints of the file at `path`, in file order (none when there is no file). A line
    /// that is not a checkpoint, or checkpoints out of number order, are refused: the table cannot
    /// hold them as the file does, and `audit verify` of the SQLite registry says what is wrong.
    static func readCheckpoints(_ path: String) throws -> [AuditCheckpoint] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PostgresStoreError.statement("db copy", "the audit checkpoint file \(path) cannot be read: nothing copied")
        }
        var out: [AuditCheckpoint] = []
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let c = AuditCheckpoint(line: line) else {
                throw PostgresStoreError.badCheckpointFile(path: path, line: i + 1, detail: "is not a signed checkpoint")
            }
            if let last = out.last, c.number <= last.number {
                throw PostgresStoreError.badCheckpointFile(path: path, line: i + 1, detail: "holds checkpoint \(c.number) after checkpoint \(last.number)")
            }
            out.append(c)
        }
        return out
    }

    /// Writes `checkpoints` into `audit_checkpoint` and verifies them like a table: count and
    /// ordered digest read back from PostgreSQL.
    func copyCheckpoints(_ checkpoints: [AuditCheckpoint], columns: [(String, ColumnType)], into session: PostgresSession) throws -> TableResult {
        func value(_ c: AuditCheckpoint, _ column: String) throws -> CanonicalValue {
            switch column {
            case "number": .integer(c.number)
            case "count": .integer(c.count)
            case "head": .text(c.head)
            case "at": .text(c.at)
            case "previous": .text(c.previous)
            case "signature": .text(c.signature)
            default: throw PostgresStoreError.statement("db copy", "column \(Self.checkpointTable).\(column) has no counterpart in the checkpoint file")
            }
        }
        let rows = try checkpoints.map { c in try columns.map { try value(c, $0.0) } }
        var digest = TableDigest()
        rows.forEach { digest.add($0) }
        if !rows.isEmpty {
            try session.copy(into: Self.checkpointTable, columns: columns.map(\.0)) { send in
                var buffer = ByteBufferAllocator().buffer(capacity: 4096)
                for row in rows {
                    for (i, v) in row.enumerated() {
                        if i > 0 { buffer.writeInteger(UInt8(0x09)) }
                        v.appendCopyText(to: &buffer)
                    }
                    buffer.writeInteger(UInt8(0x0A))
                }
                try send(buffer)
            }
        }
        return try verify(Self.checkpointTable, columns: columns, order: ["number"], expected: digest, in: session)
    }
}
