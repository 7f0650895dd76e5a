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
/// Parses only the prolog and the root start tag (in 4 KiB pieces, at most 1 MiB) with a
/// parser that has no entity or DTD handlers at all, and stops at the first DOCTYPE: a feed with a
/// DTD or entity declarations is refused here, before anything in it is parsed on.
enum FeedPeek {
    private final class State {
        var ctxt: xmlParserCtxtPtr?
        var namespace: String?
        var localName: String?
        var sawDoctype = false
        var line = 0
        var error: (line: Int, message: String)?
    }

    static func bureau(fd: Int32, file: String) throws(FeedError) -> Bureau {
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

        let size = 4096
        let buf = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buf.deallocate() }
        var total = 0
        while state.namespace == nil && !state.sawDoctype && state.error == nil && total < 1 << 20 {
            let n = read(fd, buf, size)
            if n < 0 { throw FeedError(kind: .io, file: file, reason: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { xmlParseChunk(ctxt, nil, 0, 1); break }
            total += n
            xmlParseChunk(ctxt, buf.assumingMemoryBound(to: CChar.self), Int32(n), 0)
        }
        if state.sawDoctype {
            throw FeedError(kind: .doctype, file: file, line: state.line,
                            reason: "the feed has a DOCTYPE; feeds must not declare a DTD or entities (external-entity and entity-expansion attacks are refused)")
        }
        if let e = state.error, state.namespace == nil {
            throw FeedError(kind: .notWellFormed, file: file, line: e.line,
                            reason: "not well-formed: \(e.message.trimmingCharacters(in: " \n"))")
        }
        guard let ns = state.namespace, let name = state.localName else {
            throw FeedError(kind: .notWellFormed, file: file, reason: "no root element found")
        }
        guard name == "feed" else {
            throw FeedError(kind: .unknownFormat, file: file, line: 1,
                            reason: "unknown feed format: root element '\(name)' in namespace '\(ns)'; expected 'feed' in one of \(Bureau.allCases.map(\.namespace).joined(separator: ", "))")
        }
        guard let bureau = Bureau(namespace: ns) else {
            throw FeedError(kind: .unknownFormat, file: file, line: 1,
                            reason: "unknown feed namespace '\(ns)'; known: \(Bureau.allCases.map(\.namespace).joined(separator: ", "))")
        }
        return bureau
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
