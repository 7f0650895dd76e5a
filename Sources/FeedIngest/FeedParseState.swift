import CreditRegistry
import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state of one validated feed parse, driven by libxml2's SAX2 callbacks.
///
/// Records are built from the events (child elements at depth 3 become fields or, when they
/// have children, group entries). Schema errors arrive synchronously with the events, so each
/// one is attributed to the record being read — or to the record that has just ended, since a
/// "missing child" error is raised after the end tag: a record is therefore queued only when
/// the next record (or the end of the feed) begins.
final class FeedParseState {
    let file: String
    let bureau: Bureau
    private let namespace: [CChar]
    var ctxt: xmlParserCtxtPtr?

    // Names interned in the parser's dictionary: compared by address, never decoded.
    private var nameFeed: UnsafePointer<xmlChar>?
    private var nameHeader: UnsafePointer<xmlChar>?
    private var nameKey: UnsafePointer<xmlChar>?
    private var nameOp: UnsafePointer<xmlChar>?
    private var nameVersion: UnsafePointer<xmlChar>?
    private var recordNames: [(UnsafePointer<xmlChar>, FeedItemKind)] = []
    @exclusivity(unchecked) private var nameCache: [UnsafeRawPointer: String] = [:]

    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var bytesPushed = 0
    /// Records and issues ready to hand out.
    @exclusivity(unchecked) var queue: [FeedEvent] = []
    /// The first error that refuses the whole feed.
    @exclusivity(unchecked) var fatal: FeedError?
    var rootEnded = false
    /// Set while the parser is told the file has ended: errors then mean the feed was cut short.
    var terminating = false

    // Header.
    @exclusivity(unchecked) private var inHeader = false
    private var sawHeader = false
    @exclusivity(unchecked) private var headerFields: [String: String] = [:]
    private var headerError: (line: Int, message: String)?
    private var schemaVersion: String?
    var header: FeedHeader?

    // The record being read (open) or just ended (pending).
    @exclusivity(unchecked) private var recOpen = false
    @exclusivity(unchecked) private var recPending = false
    @exclusivity(unchecked) private var recLine = 0
    @exclusivity(unchecked) private var recKind: FeedItemKind?
    @exclusivity(unchecked) private var recElement = ""
    @exclusivity(unchecked) private var recKey: String?
    @exclusivity(unchecked) private var recOp: RecordOperation = .upsert
    @exclusivity(unchecked) private var recFields: [String: String] = [:]
    @exclusivity(unchecked) private var recGroups: [String: [[String: String]]] = [:]
    @exclusivity(unchecked) private var recErrors = 0
    private var recFirstError: (line: Int, field: String?, message: String)?
    @exclusivity(unchecked) private var recEndOffset = 0

    // The child of a record (depth 3) being read.
    @exclusivity(unchecked) private var childIsGroup = false
    @exclusivity(unchecked) private var groupEntry: [String: String] = [:]
    @exclusivity(unchecked) private var text: [UInt8] = []

    static let maxDepth = 8
    static let maxText = 1 << 20

    init(file: String, bureau: Bureau) {
        self.file = file
        self.bureau = bureau
        self.namespace = Array(bureau.namespace.utf8CString)
        text.reserveCapacity(4096)
    }

    /// Interns the names the callbacks compare against; call once the parser context exists.
    func bind(_ ctxt: xmlParserCtxtPtr) {
        self.ctxt = ctxt
        let dict = ctxt.pointee.dict
        func intern(_ s: String) -> UnsafePointer<xmlChar>? { xmlDictLookup(dict, s, -1) }
        nameFeed = intern("feed"); nameHeader = intern("header")
        nameKey = intern("key"); nameOp = intern("op"); nameVersion = intern("version")
        recordNames = FeedItemKind.kinds(of: bureau).compactMap { k in intern(k.elementName).map { ($0, k) } }
    }

    var headerFinished: Bool { header != nil || fatal != nil }

    private var currentLine: Int { Int(ctxt?.pointee.input?.pointee.line ?? 0) }

    private func name(_ p: UnsafePointer<xmlChar>) -> String {
        let raw = UnsafeRawPointer(p)
        if let s = nameCache[raw] { return s }
        let s = String(cString: p)
        nameCache[raw] = s
        return s
    }

    /// Refuses the feed. From a SAX callback the parser is stopped at once; from the error
    /// callback (`stop: false`) it is not — halting libxml2 inside its own error reporting frees
    /// the input it is still using — and the session stops feeding it after the current chunk.
    private func fail(_ kind: FeedError.Kind, line: Int?, _ reason: String, stop: Bool = true) {
        if fatal == nil { fatal = FeedError(kind: kind, file: file, line: line, reason: reason) }
        if stop, let ctxt { xmlStopParser(ctxt) }
    }

    private func takeText() -> String {
        // Trim ASCII whitespace (the only whitespace XML allows between tags and text).
        var lo = 0, hi = text.count
        while lo < hi, FeedParseState.isSpace(text[lo]) { lo += 1 }
        while hi > lo, FeedParseState.isSpace(text[hi - 1]) { hi -= 1 }
        let s = text.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[lo..<hi]), as: UTF8.self) }
        text.removeAll(keepingCapacity: true)
        return s
    }

    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    // MARK: - SAX events

    func startElement(_ localname: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?,
                      attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        depth += 1
        if fatal != nil { return }
        switch depth {
        case 1:
            if localname != nameFeed {
                fail(.unknownFormat, line: currentLine, "the root element is '\(name(localname))', expected 'feed'")
                return
            }
            forEachAttribute(attributes, count) { n, v in if n == nameVersion { schemaVersion = v() } }
        case 2:
            flushPending()
            if localname == nameHeader && !sawHeader {
                inHeader = true; sawHeader = true
                return
            }
            if header == nil {
                finishHeader()
                if fatal != nil { return }
            }
            startRecord(localname, inBureauNamespace: uri.map { strcmp($0, namespace) == 0 } ?? false, attributes, count)
        case 3:
            childIsGroup = false
            text.removeAll(keepingCapacity: true)
        case 4:
            if !childIsGroup { childIsGroup = true; groupEntry = Dictionary(minimumCapacity: 8) }
            text.removeAll(keepingCapacity: true)
        default:
            if depth > FeedParseState.maxDepth {
                fail(.limits, line: currentLine, "elements nested deeper than \(FeedParseState.maxDepth) levels")
            }
        }
    }

    func endElement(_ localname: UnsafePointer<xmlChar>) {
        defer { depth -= 1 }
        if fatal != nil { return }
        switch depth {
        case 4:
            let n = name(localname)
            let v = takeText()
            if let old = groupEntry[n] { groupEntry[n] = old + ";" + v } else { groupEntry[n] = v }
        case 3:
            let n = name(localname)
            if inHeader {
                headerFields[n] = takeText()
            } else if recOpen {
                if childIsGroup {
                    recGroups[n, default: []].append(groupEntry)
                    groupEntry = [:]
                    text.removeAll(keepingCapacity: true)
                } else {
                    let v = takeText()
                    if let old = recFields[n] { recFields[n] = old + ";" + v } else { recFields[n] = v }
                }
            }
            childIsGroup = false
        case 2:
            if inHeader {
                inHeader = false
            } else if recOpen {
                recOpen = false
                recPending = true
                recEndOffset = byteOffset()
            }
        case 1:
            flushPending()
            if header == nil { finishHeader() }
            rootEnded = true
        default:
            break
        }
    }

    func characters(_ ch: UnsafePointer<xmlChar>, _ len: Int) {
        guard depth >= 3, fatal == nil else { return }
        if text.count + len > FeedParseState.maxText {
            fail(.limits, line: currentLine, "a text longer than \(FeedParseState.maxText) bytes")
            return
        }
        text.append(contentsOf: UnsafeBufferPointer(start: ch, count: len))
    }

    func doctype() {
        fail(.doctype, line: currentLine,
             "the feed has a DOCTYPE; feeds must not declare a DTD or entities (external-entity and entity-expansion attacks are refused)")
    }

    private func forEachAttribute(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ count: Int,
                                  _ body: (UnsafePointer<xmlChar>?, () -> String) -> Void) {
        guard let attributes else { return }
        for i in 0..<count {
            let base = attributes + i * 5
            let n = base[0]
            guard let start = base[3], let end = base[4] else { continue }
            body(n) { String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self) }
        }
    }

    private func startRecord(_ localname: UnsafePointer<xmlChar>, inBureauNamespace: Bool,
                             _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ count: Int) {
        recOpen = true
        recLine = currentLine
        recKind = nil
        if inBureauNamespace {
            for (p, k) in recordNames where p == localname { recKind = k; break }
        }
        recElement = recKind?.elementName ?? name(localname)
        recKey = nil
        recOp = .upsert
        forEachAttribute(attributes, count) { n, v in
            if n == nameKey { recKey = v() } else if n == nameOp { recOp = RecordOperation(rawValue: v()) ?? .upsert }
        }
        recFields = Dictionary(minimumCapacity: 16)
        recGroups = [:]
        recErrors = 0
        recFirstError = nil
    }

    private func byteOffset() -> Int {
        guard let ctxt, let input = ctxt.pointee.input else { return bytesPushed }
        if input.pointee.buf?.pointee.encoder != nil { return bytesPushed }
        let consumed = xmlByteConsumed(ctxt)
        return consumed >= 0 ? Int(consumed) : bytesPushed
    }

    /// Queues the record that has ended, as an item or (if the schema found errors) an issue.
    private func flushPending() {
        guard recPending else { return }
        recPending = false
        if recErrors == 0, let kind = recKind, let key = recKey {
            queue.append(.item(FeedItem(line: recLine, kind: kind, key: key, operation: recOp,
                                        fields: recFields, groups: recGroups, byteOffset: recEndOffset)))
        } else {
            let first = recFirstError ?? (recLine, nil, "unknown record element '\(recElement)'")
            var reason = first.message
            if recErrors > 1 { reason += " (and \(recErrors - 1) more error\(recErrors > 2 ? "s" : "") in this record)" }
            queue.append(.invalid(FeedItemIssue(line: first.line, key: recKey, field: first.field,
                                                reason: PersonalData.masked(reason), kind: recKind)))
        }
        recFields = [:]
        recGroups = [:]
    }

    private func finishHeader() {
        if terminating && !rootEnded {
            fail(.notWellFormed, line: currentLine, "the feed is truncated: the file ends before its header is complete")
            return
        }
        if !sawHeader {
            fail(.badHeader, line: currentLine, "the feed has no header (expected <header> as the first child of <feed>)")
            return
        }
        if let named = headerFields["bureau"], named != bureau.rawValue {
            fail(.badHeader, line: headerError?.line ?? currentLine,
                 "bad header: the header names bureau '\(named)' but the root element is in the \(bureau.rawValue) bureau's namespace \(bureau.namespace); a feed's header and namespace must name the same bureau")
            return
        }
        if let e = headerError {
            fail(.badHeader, line: e.line, "bad header: \(e.message)")
            return
        }
        guard let b = headerFields["bureau"], b == bureau.rawValue,
              let feedID = headerFields["feedId"],
              let seq = headerFields["sequence"].flatMap({ Int($0) }),
              let at = headerFields["generatedAt"],
              let kind = headerFields["kind"].flatMap({ FeedKind(rawValue: $0) }),
              let version = schemaVersion, FeedParseState.isVersion1(version) else {
            fail(.badHeader, line: currentLine, "bad header: missing or wrong bureau, feedId, sequence, generatedAt or kind, or a root version attribute other than 1.n")
            return
        }
        header = FeedHeader(bureau: bureau, feedID: feedID, sequence: seq, generatedAt: at, kind: kind, schemaVersion: version)
    }

    /// "1.n" with 1-3 digits: the minor versions of format 1.
    static func isVersion1(_ v: String) -> Bool {
        let b = Array(v.utf8)
        return b.count >= 3 && b.count <= 5 && b[0] == UInt8(ascii: "1") && b[1] == UInt8(ascii: ".")
            && b[2...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    // MARK: - Errors

    /// A structured error from the parser or the schema validator.
    func error(_ e: UnsafePointer<xmlError>) {
        let err = e.pointee
        let isSchema = err.domain == Int32(XML_FROM_SCHEMASV.rawValue)
        let isError = err.level.rawValue >= XML_ERR_ERROR.rawValue
        guard isError else { return }
        let message = FeedParseState.clean(err.message.map { String(cString: $0) } ?? "unknown error")
        let line = err.line > 0 ? Int(err.line) : currentLine
        if !isSchema {
            if err.code == Int32(XML_ERR_USER_STOP.rawValue) { return }
            fail(.notWellFormed, line: line, wellFormednessReason(message), stop: false)
            return
        }
        if fatal != nil { return }
        if recOpen || recPending {
            recErrors += 1
            if recFirstError == nil {
                recFirstError = (line, FeedParseState.field(in: message, record: recElement), message)
            }
        } else if header == nil {
            if headerError == nil { headerError = (line, message) }
        } else {
            fail(.badHeader, line: line, "the feed does not match the \(bureau.rawValue) schema: \(message)", stop: false)
        }
    }

    /// The message without `{namespace-uri}` prefixes and trailing newline (braces that hold
    /// anything else, such as the value set of an enumeration, are kept).
    static func clean(_ message: String) -> String {
        var out = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), after[..<close].hasPrefix("urn:") || after[..<close].hasPrefix("http") {
                rest = after[after.index(after: close)...]
            } else {
                out.append("{")
                rest = after
            }
        }
        out += rest
        return out.trimmingSpaces()
    }

    /// A well-formedness error in words that say what is wrong: libxml2 reports a document cut
    /// short in several ways ("Extra content at the end of the document", "Premature end of data").
    private func wellFormednessReason(_ message: String) -> String {
        if terminating && !rootEnded {
            return "the feed is truncated: the file ends (at byte \(bytesPushed) of its UTF-8 text) before its root element <feed> is closed (libxml2: \(message))"
        }
        return "not well-formed: \(message)"
    }

    /// The failing field of a schema message: the element it names, `@attribute` for attribute
    /// errors, or the first expected child when the record itself misses one.
    static func field(in message: String, record: String) -> String? {
        guard let r = message.range(of: "Element '") else { return nil }
        let rest = message[r.upperBound...]
        guard let q = rest.firstIndex(of: "'") else { return nil }
        let element = String(rest[..<q])
        let after = rest[rest.index(after: q)...]
        if after.hasPrefix(", attribute '") {
            let a = after.dropFirst(", attribute '".count)
            if let q2 = a.firstIndex(of: "'") { return "@" + a[..<q2] }
        }
        if let a = after.range(of: "The attribute '") {
            let rest = after[a.upperBound...]
            if let q2 = rest.firstIndex(of: "'") { return "@" + rest[..<q2] }
        }
        // A missing child: name the child that was expected, when there is exactly one candidate
        // (or the record itself ended too early).
        if let m = after.range(of: "Expected is ( ") {
            let names = after[m.upperBound...]
            let end = names.firstIndex(where: { $0 == " " || $0 == "," || $0 == ")" }) ?? names.endIndex
            let expected = String(names[..<end])
            if !expected.isEmpty && (element == record || after.contains("This element is not expected")) { return expected }
        }
        if element == record, let m = after.range(of: "Expected is one of ( ") {
            let names = after[m.upperBound...]
            let end = names.firstIndex(where: { $0 == " " || $0 == "," || $0 == ")" }) ?? names.endIndex
            if names.startIndex < end { return String(names[..<end]) }
        }
        return element
    }
}

fileprivate extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
