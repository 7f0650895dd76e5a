import CreditRegistry
/// One record as the bureau sent it: element name, attributes and fields flattened, with nested
/// repeated groups.
///
/// Simple child elements become `fields` (whitespace-trimmed text; a repeated simple element is
/// joined with ";"). Child elements that have children of their own become one entry of
/// `groups[name]` each, their children flattened into the entry.
///
/// ```xml
/// <penalty key="P-1" op="upsert"><code>91350200MA2XY4KQ1P</code> … <type>警告</type><type>罚款</type> …
/// ```
/// gives `kind == .penalty`, `key == "P-1"`, `fields["type"] == "警告;罚款"`.
public struct FeedItem: Sendable, Hashable {
    /// Line of the record's start tag.
    public var line: Int
    public var kind: FeedItemKind
    /// The bureau's own key (the `key` attribute).
    public var key: String
    /// The `op` attribute.
    public var operation: RecordOperation
    /// Child element name → text.
    public var fields: [String: String]
    /// Repeated complex children, e.g. `"person"` → `[["role": …, "name": …, "id": …, "from": …]]`.
    public var groups: [String: [[String: String]]]
    /// Bytes of the file consumed when the record ended (for progress and checkpoints). Exact for
    /// UTF-8 feeds; for feeds in other encodings, the end of the chunk that held the record's end.
    public var byteOffset: Int

    public init(line: Int, kind: FeedItemKind, key: String, operation: RecordOperation,
                fields: [String: String], groups: [String: [[String: String]]] = [:], byteOffset: Int) {
        self.line = line; self.kind = kind; self.key = key; self.operation = operation
        self.fields = fields; self.groups = groups; self.byteOffset = byteOffset
    }

    /// The text of a field, nil when absent.
    public subscript(field: String) -> String? { fields[field] }

    /// The entries of a repeated group, empty when absent.
    public func group(_ name: String) -> [[String: String]] { groups[name] ?? [] }
}
