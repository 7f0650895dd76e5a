import GRDB
@testable import PostgresStore
import NIOCore
import Testing

/// The canonical values both sides of a copy digest.
@Suite
struct CanonicalRowsTests {
    @Test func sqliteValuesTakeTheTargetColumnsType() throws {
        #expect(try CanonicalValue(sqlite: 12.databaseValue, as: .text) == .text("12"))
        #expect(try CanonicalValue(sqlite: 3.databaseValue, as: .real) == .real(3))
        #expect(try CanonicalValue(sqlite: "7".databaseValue, as: .integer) == .integer(7))
        #expect(try CanonicalValue(sqlite: .null, as: .integer) == .null)
        #expect(throws: (any Error).self) { try CanonicalValue(sqlite: "seven".databaseValue, as: .integer) }
    }

    @Test func copyTextEscapesWhatTheFormatReserves() {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        CanonicalValue.text("a\tb\nc\\d\re").appendCopyText(to: &buffer)
        #expect(buffer.readString(length: buffer.readableBytes) == "a\\tb\\nc\\\\d\\re")
        var null = ByteBufferAllocator().buffer(capacity: 4)
        CanonicalValue.null.appendCopyText(to: &null)
        #expect(null.readString(length: null.readableBytes) == "\\N")
    }

    @Test func digestsDependOnValuesTypesAndOrder() {
        func digest(_ rows: [[CanonicalValue]]) -> String {
            var d = TableDigest()
            for r in rows { d.add(r) }
            return d.finish()
        }
        let a: [[CanonicalValue]] = [[.integer(1), .text("x")], [.integer(2), .null]]
        #expect(digest(a) == digest(a))
        #expect(digest(a) != digest(a.reversed()))
        #expect(digest([[.integer(1)]]) != digest([[.text("1")]]))
        #expect(digest([[.text("ab"), .text("c")]]) != digest([[.text("a"), .text("bc")]]))
        #expect(digest([[.null]]) != digest([[.text("")]]))
    }

    @Test func scriptsSplitAtStatementEndsOnly() {
        let parts = SQLScript.statements("""
            CREATE TABLE a (x TEXT DEFAULT ';'); -- a comment; with a semicolon, and SQLite's apostrophe
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$;
            SELECT 1
            """)
        #expect(parts.count == 3)
        #expect(parts[0] == "CREATE TABLE a (x TEXT DEFAULT ';')")
        #expect(parts[1].hasSuffix("END $$"))
        #expect(parts[2] == "SELECT 1")
    }
}
