import Foundation

/// A JSON token file to import: `[{"token": "…", "name": "officer-07", "role": "officer",
/// "department": "sat"}]`. Refused as a whole, with the entry named, when the file is readable by
/// group or others, an entry is malformed, a token is weak or appears twice, or a name repeats.
public struct TokenFile: Sendable {
    public struct Entry: Sendable, Decodable {
        public var token: String
        public var name: String
        public var role: AccountRole
        public var department: String?
    }

    public let entries: [Entry]

    public init(path: String) throws {
        func refuse(_ reason: String) -> AccountError { .tokenFile(file: path, reason: reason) }
        var st = stat()
        guard stat(path, &st) == 0 else { throw refuse("cannot read the file: \(String(cString: strerror(errno)))") }
        if st.st_mode & 0o077 != 0 {
            throw refuse(String(format: "readable or writable by group or others (mode %o); tokens must stay private: chmod 600 %@",
                                Int(st.st_mode & 0o777), path))
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw refuse("cannot read the file") }
        let entries: [Entry]
        do { entries = try JSONDecoder().decode([Entry].self, from: data) } catch {
            throw refuse("not a JSON array of {token, name, role, department}: \(error)")
        }
        var tokens: [String: Int] = [:]
        var names: Set<String> = []
        for (i, e) in entries.enumerated() {
            let which = "entry \(i + 1) (\(e.name))"
            if let weak = AccessToken.weakness(e.token) { throw refuse("\(which): weak token, \(weak)") }
            if let first = tokens[e.token] { throw refuse("\(which): the same token as entry \(first); every account needs its own token") }
            if !names.insert(e.name).inserted { throw refuse("\(which): the name appears twice") }
            tokens[e.token] = i + 1
        }
        self.entries = entries
    }
}
