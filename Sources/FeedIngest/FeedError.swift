import CreditRegistry
/// A whole feed refused: nothing in it may be taken (a feed is atomic).
///
/// Thrown by ``FeedReader`` when the file cannot be read, is not well-formed XML (including a
/// truncated file), declares a DOCTYPE or entities (XXE, "billion laughs"), has an unknown root
/// namespace, or has a bad header. `description` never contains personal ID numbers.
///
/// ```
/// samples/bad/commerce-truncated.xml:41: not well-formed: Premature end of data in tag feed line 2
/// ```
public struct FeedError: Error, CustomStringConvertible, Sendable, Hashable {
    /// Why the feed was refused, for programs; `reason` says it for people.
    public enum Kind: String, Sendable, Codable {
        /// The file could not be opened or read.
        case io
        /// Not well-formed XML, including a truncated file or an undeclared entity.
        case notWellFormed = "not_well_formed"
        /// The document has a DOCTYPE (with or without entity declarations): refused before parsing on.
        case doctype
        /// An encoding other than UTF-8 or GB18030 (GBK, GB2312), or a byte that is not valid in it.
        case encoding
        /// The root element is not `feed` in a known bureau namespace.
        case unknownFormat = "unknown_format"
        /// The header is missing or does not match the schema.
        case badHeader = "bad_header"
        /// Nesting deeper than feeds ever need, or a text longer than any field allows.
        case limits
        /// The bundled schema could not be loaded (an installation problem).
        case schema
    }

    public var kind: Kind
    public var file: String
    public var line: Int?
    public var reason: String

    public init(kind: Kind, file: String, line: Int? = nil, reason: String) {
        self.kind = kind; self.file = file; self.line = line
        self.reason = PersonalData.masked(reason)
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
