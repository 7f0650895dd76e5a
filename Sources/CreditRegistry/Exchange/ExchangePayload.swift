import Foundation

/// The payloads of the messages the city sends the national platform (docs/exchange.md,
/// "Payloads"): encoded as JSON with snake_case keys, sorted, so the same change always gives
/// the same bytes.
public enum ExchangePayload {
    /// The message kinds of the protocol.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case listEntry = "list-entry"
        case listExit = "list-exit"
        case measureFeedback = "measure-feedback"
        case nationalListPage = "national-list-page"
        case acknowledgement
    }

    /// A subject entered a list kept by a city bureau.
    public struct ListEntry: Sendable, Hashable, Codable {
        public var list: String
        /// `bureau:key` of the entry record.
        public var reference: String
        public var enteredOn: String
        public var ground: String?
        public var authority: String?
        public var name: String?
        public var subjectKind: String?
        public init(list: String, reference: String, enteredOn: String, ground: String?, authority: String?, name: String?, subjectKind: String?) {
            self.list = list; self.reference = reference; self.enteredOn = enteredOn; self.ground = ground
            self.authority = authority; self.name = name; self.subjectKind = subjectKind
        }
    }

    /// A subject left a list (`reference` names the entry it closes).
    public struct ListExit: Sendable, Hashable, Codable {
        public var list: String
        public var reference: String
        public var exitedOn: String
        public var reason: String?
        public init(list: String, reference: String, exitedOn: String, reason: String?) {
            self.list = list; self.reference = reference; self.exitedOn = exitedOn; self.reason = reason
        }
    }

    /// A department applied a measure.
    public struct MeasureFeedback: Sendable, Hashable, Codable {
        public var feedbackId: Int64
        public var measure: String
        public var department: String
        public var caseNumber: String
        public var appliedOn: String
        public var officer: String
        public init(feedbackId: Int64, measure: String, department: String, caseNumber: String, appliedOn: String, officer: String) {
            self.feedbackId = feedbackId; self.measure = measure; self.department = department
            self.caseNumber = caseNumber; self.appliedOn = appliedOn; self.officer = officer
        }
    }

    /// The canonical JSON text of a payload.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes a payload's JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
