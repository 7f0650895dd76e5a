import CreditRegistry
/// Streams one bureau feed: validates it against the bureau's XSD as it reads, and yields its
/// records one at a time, in memory that does not grow with the feed.
///
/// The bureau is found from the root element's namespace; the header is read and checked by
/// `init`. Each record comes out of ``next()`` as `.item` or, when the schema rejects it, as
/// `.invalid` (quarantine it and go on). A feed that is not well-formed (a truncated file), has a
/// DOCTYPE or entity declarations, an unknown namespace or a bad header throws ``FeedError``:
/// refuse the whole feed.
///
/// ```swift
/// let reader = try FeedReader(path: "samples/feeds/commerce-0001-full.xml")
/// print(reader.header.feedID)
/// while let event = try reader.next() {
///     switch event {
///     case .item(let item): print(item.kind, item.key, item.fields["name"] ?? "")
///     case .invalid(let issue): print("line \(issue.line): \(issue.reason)")
///     }
/// }
/// print(reader.digest ?? "")   // SHA-256 of the file, once it has been read to the end
/// ```
///
/// - warning: Not thread-safe: use one reader from one thread at a time (several readers may
///   run on different threads).
public final class FeedReader {
    /// The feed's header (bureau, feed id, sequence, generated-at, kind, schema version).
    public let header: FeedHeader
    /// The file's size in bytes when it was opened.
    public let fileSize: Int
    /// The path the reader was opened with.
    public let path: String

    private let session: FeedSession
    private var head = 0

    /// Opens a feed, finds its bureau, and reads and checks its header.
    ///
    /// - throws: ``FeedError`` when the file cannot be read, is not well-formed, has a DOCTYPE, an
    ///   unknown root namespace, or a missing or invalid header.
    public init(path: String) throws(FeedError) {
        let s = try FeedSession(path: path)
        while !s.state.headerFinished && !s.finished { s.pump() }
        if let f = s.state.fatal, s.state.header == nil { throw f }
        guard let h = s.state.header else {
            throw FeedError(kind: .badHeader, file: path, reason: "the feed ends before its header")
        }
        session = s
        header = h
        fileSize = s.fileSize
        self.path = path
    }

    /// The next record, or nil at the end of the feed.
    ///
    /// - throws: ``FeedError`` when the rest of the feed is not well-formed (e.g. truncated); the
    ///   feed must then be refused as a whole. Records queued before the error come out first.
    public func next() throws(FeedError) -> FeedEvent? {
        while true {
            let state = session.state
            if head < state.queue.count {
                let e = state.queue[head]
                head += 1
                if head == state.queue.count { state.queue.removeAll(keepingCapacity: true); head = 0 }
                return e
            }
            if let f = state.fatal { throw f }
            if session.finished { return nil }
            session.pump()
        }
    }

    /// Bytes of the file read so far (for progress: compare with ``fileSize``).
    public var bytesRead: Int { session.bytesRead }

    /// SHA-256 of the whole file as 64 lower-case hex digits, once it has been read to its end;
    /// nil before. Two deliveries of the same feed have the same digest.
    public var digest: String? { session.digest }

    /// The path of a bureau's bundled XSD (e.g. for `xmllint --schema`), if the bundle is installed.
    public static func schemaPath(for bureau: Bureau) -> String? { FeedSchemas.path(for: bureau) }
}
