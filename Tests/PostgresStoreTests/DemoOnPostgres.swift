import CreditTestSupport
import Foundation
import Testing

/// The demo registry with an officer account, copied into a fresh PostgreSQL database: what the
/// tests with several `serve` processes start from.
struct DemoOnPostgres {
    /// The SQLite registry the demo built (the copy's source).
    let db: String
    /// Where the servers' audit key file goes.
    let key: String
    /// The officer `alice`'s token (department sat).
    let token: String
    /// The PostgreSQL database the registry was copied into.
    let url: String

    init(_ scratch: TemporaryDirectory) throws {
        db = scratch.path("credit.db")
        key = scratch.path("credit.audit.key")
        #expect(try CreditCtl.demo(db).status == 0)
        let add = try CreditCtl.run(["users", "add", "alice", "--role", "officer", "--department", "sat", "--db", db])
        #expect(add.status == 0, "\(add.stderr)")
        token = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        url = try TestPostgres.database()
        let copy = try CreditCtl.run(["db", "copy", "--from", db, "--to", url])
        #expect(copy.status == 0, "\(copy.stderr)")
    }
}
