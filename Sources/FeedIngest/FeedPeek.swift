import CreditRegistry
import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a feed's bureau from the namespace of its root element, before the validating parse
/// starts (libxml2 must be given the schema before the first byte).
///
/// Parses only the prolog and the root start tag (as UTF-8 from ``FeedInput``, at most
/// ``limit`` bytes) with a parser that has no entity or DTD handlers at all, and stops at the
/// first DOCTYPE: a feed with a DTD or entity declarations is refused here, before anything in it
/// is parsed on. The UTF-8 it read is handed back so the validating parse starts with it.
enum FeedPeek {
    private final class State {
        var ctxt: xmlParserCtxtPtr?
        var namespace: String?
        var localName: String?
        var sawDoctype = false
        var line = 0
        var error: (line: Int, message: String)?
    }

    /// How far into the feed the root element must start (comments before it included).
    static let limit = 16 << 20

    static func bureau(input: FeedInput) throws(FeedError) -> (bureau: Bureau, consumed: [UInt8]) {
        let file = input.file
        let state = State()
        let box = Unmanaged.passRetained(state)
        defer { box.release() }
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { ctx, localname, _, uri, _, _, _, _, _ in
            guard let ctx else { return }
            let s = Unmanaged<State>.fromOpaque(ctx).takeUnretainedValue()
            s.localName = localname.map { String(cString: $0) } ?? ""
            s.namespace = uri.map { String(cString: $0) } ?? ""
            if let c = s.ctxt { xmlStopParser(c) }
        }
        sax.internalSubset = { ctx, _, _, _ in
            guard let ctx else { return }
            let s = Unmanaged<State>.fromOpaque(ctx).takeUnretainedValue()
            s.sawDoctype = true
            s.line = Int(s.ctxt?.pointee.input?.pointee.line ?? 0)
            if let c = s.ctxt { xmlStopParser(c) }
        }
        guard let ctxt = xmlCreatePushParserCtxt(&sax, box.toOpaque(), nil, 0, file) else {
            throw FeedError(kind: .io, file: file, reason: "cannot create an XML parser")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        state.ctxt = ctxt
        xmlCtxtUseOptions(ctxt, FeedSession.parseOptions)
        let errorHandler: xmlStructuredErrorFunc = { ctx, err in
            guard let ctx, let err, err.pointee.level.rawValue >= XML_ERR_ERROR.rawValue,
                  err.pointee.code != Int32(XML_ERR_USER_STOP.rawValue) else { return }
            let s = Unmanaged<State>.fromOpaque(ctx).takeUnretainedValue()
            if s.error == nil {
                s.error = (Int(err.pointee.line), err.pointee.message.map { String(cString: $0) } ?? "unknown error")
            }
        }
        xmlSetStructuredErrorFunc(box.toOpaque(), errorHandler)
        defer { xmlSetStructuredErrorFunc(nil, nil) }

        var consumed: [UInt8] = []
        var parsed = 0
        var more = true
        while state.namespace == nil && !state.sawDoctype && state.error == nil && more && consumed.count < limit {
            more = try input.next(into: &consumed)
            if consumed.count > parsed {
                consumed[parsed...].withUnsafeBufferPointer { b in
                    b.withMemoryRebound(to: CChar.self) { _ = xmlParseChunk(ctxt, $0.baseAddress, Int32($0.count), 0) }
                }
                parsed = consumed.count
            }
        }
        if !more && state.namespace == nil && !state.sawDoctype && state.error == nil { xmlParseChunk(ctxt, nil, 0, 1) }
        if consumed.isEmpty {
            throw FeedError(kind: .notWellFormed, file: file, reason: "the feed is empty (0 bytes)")
        }
        if state.sawDoctype {
            throw FeedError(kind: .doctype, file: file, line: state.line,
                            reason: "the feed has a DOCTYPE; feeds must not declare a DTD or entities (external-entity and entity-expansion attacks are refused)")
        }
        if let e = state.error, state.namespace == nil {
            if consumed.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                throw FeedError(kind: .notWellFormed, file: file, reason: "the feed holds only white space (\(consumed.count) bytes), no <feed> element")
            }
            if !more {
                throw FeedError(kind: .notWellFormed, file: file, line: e.line,
                                reason: "the feed is truncated or has no <feed> element: the file (\(input.bytesRead) bytes) ends before the root element starts (\(e.message.trimmingCharacters(in: " \n")))")
            }
            throw FeedError(kind: .notWellFormed, file: file, line: e.line,
                            reason: "not well-formed before the root element: \(e.message.trimmingCharacters(in: " \n"))")
        }
        guard let ns = state.namespace, let name = state.localName else {
            if consumed.count >= limit {
                throw FeedError(kind: .notWellFormed, file: file,
                                reason: "no <feed> element in the first \(limit >> 20) MiB: comments or processing instructions before the root element may not be that long")
            }
            throw FeedError(kind: .notWellFormed, file: file,
                            reason: "the feed has no <feed> element: the file (\(input.bytesRead) bytes) ends before any root element starts")
        }
        if !more {
            // The whole file was read before the root's start tag was parsed: nothing follows it.
            throw FeedError(kind: .notWellFormed, file: file, line: 1,
                            reason: "the feed is truncated: the file (\(input.bytesRead) bytes) ends at the start tag of its root element '\(name)'")
        }
        guard name == "feed" else {
            throw FeedError(kind: .unknownFormat, file: file, line: 1,
                            reason: "unknown feed format: root element '\(name)' in namespace '\(ns)'; expected 'feed' in one of \(Bureau.allCases.map(\.namespace).joined(separator: ", "))")
        }
        guard let bureau = Bureau(namespace: ns) else {
            throw FeedError(kind: .unknownFormat, file: file, line: 1,
                            reason: "unknown feed namespace '\(ns)'; known: \(Bureau.allCases.map(\.namespace).joined(separator: ", "))")
        }
        return (bureau, consumed)
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
