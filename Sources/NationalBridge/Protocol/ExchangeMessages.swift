import CreditRegistry
import Foundation

/// A batch of envelopes, as posted or dropped.
public struct EnvelopeBatch: Sendable, Codable {
    public var messages: [Envelope]
    public init(messages: [Envelope]) { self.messages = messages }
}

/// The payload of an `acknowledgement`.
public struct Acknowledgement: Sendable, Hashable, Codable {
    public struct Result: Sendable, Hashable, Codable {
        public enum Status: String, Sendable, Codable { case accepted, duplicate, refused }
        public var id: String
        public var sequence: Int64
        public var status: Status
        public var code: ExchangeErrorCode?
        public var detail: String?
        public init(id: String, sequence: Int64, status: Status, code: ExchangeErrorCode? = nil, detail: String? = nil) {
            self.id = id; self.sequence = sequence; self.status = status; self.code = code; self.detail = detail
        }
    }
    public var lastSequence: Int64
    public var results: [Result]
    public init(lastSequence: Int64, results: [Result]) { self.lastSequence = lastSequence; self.results = results }
}

/// The payload of a `national-list-page`: rows of the national list CSV.
public struct NationalListPage: Sendable, Hashable, Codable {
    public var list: String
    public var cursor: String
    public var nextCursor: String
    public var complete: Bool
    public var csv: String
    public init(list: String, cursor: String, nextCursor: String, complete: Bool, csv: String) {
        self.list = list; self.cursor = cursor; self.nextCursor = nextCursor; self.complete = complete; self.csv = csv
    }
}

/// One list as a side holds it, for reconciliation: count of references in force and the SM3
/// of the sorted state lines.
public struct ListSummary: Sendable, Hashable, Codable {
    public var list: String
    public var count: Int
    public var digest: String
    public init(list: String, count: Int, digest: String) { self.list = list; self.count = count; self.digest = digest }
}

/// The reconciliation answer: `{"lists": [...]}`.
public struct ReconcileSummary: Sendable, Codable {
    public var lists: [ListSummary]
    public init(lists: [ListSummary]) { self.lists = lists }
}

/// The state lines of one list (`reference|subject|entered_on|exited_on`), sorted.
public struct ReconcileLines: Sendable, Codable {
    public var list: String
    public var lines: [String]
    public init(list: String, lines: [String]) { self.list = list; self.lines = lines }
}

/// JSON of the protocol: snake_case keys (envelopes name theirs), sorted, slashes unescaped.
public enum ExchangeJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(value)
    }

    public static func text<T: Encodable>(_ value: T) throws -> String { String(decoding: try encode(value), as: UTF8.self) }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try d.decode(type, from: data)
    }

    /// State lines → summary (SM3 over the sorted lines, each ending in a newline).
    public static func summary(list: String, lines: [String], inForce: Int) -> ListSummary {
        var bytes: [UInt8] = []
        for l in lines.sorted() { bytes.append(contentsOf: l.utf8); bytes.append(0x0A) }
        return ListSummary(list: list, count: inForce, digest: Envelope.digest(of: String(decoding: bytes, as: UTF8.self)))
    }
}
