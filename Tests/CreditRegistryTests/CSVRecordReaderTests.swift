import Foundation
import Testing
@testable import CreditRegistry

/// The general CSV record reader: RFC 4180 records with their line numbers, in every encoding,
/// whatever the chunk boundaries.
@Suite struct CSVRecordReaderTests {
    static func records(_ bytes: [UInt8], pieces: [Int]? = nil) throws -> [CSVRecord] {
        var offset = 0, k = 0
        let reader = CSVRecordReader(chunkSize: 64) { buffer in
            var n = min(buffer.count, bytes.count - offset)
            if let pieces { n = min(n, pieces[k % pieces.count]); k += 1 }
            bytes[offset..<(offset + n)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            offset += n
            return n
        }
        var out: [CSVRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    static let text = "a,b,c\r\n1,\"x\ny\",\"say \"\"hi\"\"\"\r\n2,中文,\r\n\r\n3,\"\",last"

    static let expected = [
        CSVRecord(line: 1, fields: ["a", "b", "c"]),
        CSVRecord(line: 2, fields: ["1", "x\ny", "say \"hi\""]),
        CSVRecord(line: 4, fields: ["2", "中文", ""]),
        CSVRecord(line: 5, fields: [""]),
        CSVRecord(line: 6, fields: ["3", "", "last"]),
    ]

    @Test func item5_recordsCarryTheLineTheyStartOn() throws {
        #expect(try Self.records(Array(Self.text.utf8)) == Self.expected)
        #expect(try Self.records(Array(Self.text.replacingOccurrences(of: "\r\n", with: "\r").utf8)) == Self.expected)
        #expect(try Self.records(Array(Self.text.replacingOccurrences(of: "\r\n", with: "\n").utf8)) == Self.expected)
    }

    /// Any split of the input into pieces (a CRLF, a UTF-8, GB18030 or UTF-16 character cut in
    /// two) gives the same records.
    @Test func item5_chunkBoundariesDoNotMatter() throws {
        let long = String(repeating: Self.text + "\n", count: 30)
        let whole = try Self.records(Array(long.utf8))
        var utf16: [UInt8] = [0xFE, 0xFF]
        for u in long.utf16 { utf16 += [UInt8(u >> 8), UInt8(u & 0xFF)] }
        let gb: [UInt8] = TextEncoding.gb18030.byteOrderMark + Self.gb18030(long)
        for pieces in [[1], [2], [3], [5, 1, 7], [63, 64, 65]] {
            #expect(try Self.records(Array(long.utf8), pieces: pieces) == whole, "UTF-8 \(pieces)")
            #expect(try Self.records(utf16, pieces: pieces) == whole, "UTF-16 \(pieces)")
            #expect(try Self.records(gb, pieces: pieces) == whole, "GB18030 \(pieces)")
        }
    }

    @Test func item5_invalidBytesStopTheReaderAtLineAndColumn() throws {
        var bytes = Array("h\n中文,cd\nxy,中z\n".utf8)
        bytes[bytes.count - 3] = 0x41        // the last byte of 中 (E4 B8 AD) replaced
        #expect { try Self.records(bytes) } throws: { e in
            (e as? CSVReadError)?.description.hasPrefix("line 3, column 4: invalid UTF-8 byte sequence 0xE4 0xB8 0x41") == true
        }
    }

    @Test func item5_anOverlongRecordIsRefused() throws {
        let bytes = Array("a\n\"".utf8) + [UInt8](repeating: 0x78, count: CSVRecordReader.maxRecordBytes + 10)
        #expect { try Self.records(bytes) } throws: { e in (e as? CSVReadError)?.line == 2 }
    }

    static func gb18030(_ s: String) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")
        defer { iconv_close(cd) }
        var input = Array(s.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let n = input.withUnsafeMutableBufferPointer { ib in
            output.withUnsafeMutableBufferPointer { ob in
                var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ib.baseAddress!).assumingMemoryBound(to: CChar.self)
                var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob.baseAddress!).assumingMemoryBound(to: CChar.self)
                var il = ib.count, ol = ob.count
                _ = iconv(cd, &ip, &il, &op, &ol)
                return ob.count - ol
            }
        }
        return Array(output[0..<n])
    }
}
