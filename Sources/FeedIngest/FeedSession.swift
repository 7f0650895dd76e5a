import CreditRegistry
import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The libxml2 resources of one feed being read: the file, the push parser, the schema validator
/// plugged into its SAX stream, and the digest of the bytes read so far. Frees them all on deinit.
final class FeedSession {
    static let chunkSize = 64 * 1024

    /// Parser options: no network; no entity substitution (`XML_PARSE_NOENT` off), no DTD loading,
    /// attribute defaulting or validation; libxml2's default size and depth limits (no `XML_PARSE_HUGE`).
    static let parseOptions: Int32 = Int32(XML_PARSE_NONET.rawValue)

    let file: String
    let fileSize: Int
    let bureau: Bureau
    let state: FeedParseState
    private(set) var bytesRead = 0
    private(set) var finished = false
    /// SHA-256 of the raw file, once read to its end.
    var digest: String? { input.digest }
    /// The encoding the feed was read in.
    var encoding: TextEncoding { input.encoding }

    private let input: FeedInput
    /// UTF-8 read by ``FeedPeek`` before the parse began, handed to the parser first.
    private var replay: [UInt8]
    private var chunk: [UInt8] = []
    private let box: Unmanaged<FeedParseState>
    private var ctxt: xmlParserCtxtPtr?
    private var vctxt: xmlSchemaValidCtxtPtr?
    private var plug: xmlSchemaSAXPlugPtr?

    init(path: String) throws(FeedError) {
        let input = try FeedInput(path: path, chunkSize: FeedSession.chunkSize)
        let peek = try FeedPeek.bureau(input: input)
        let bureau = peek.bureau
        let schema = try FeedSchemas.shared.schema(for: bureau, file: path)
        self.input = input
        self.replay = peek.consumed
        self.fileSize = input.fileSize
        self.file = path
        self.bureau = bureau
        self.state = FeedParseState(file: path, bureau: bureau)
        self.box = Unmanaged.passRetained(state)
        chunk.reserveCapacity(FeedSession.chunkSize * 2)

        guard let vctxt = xmlSchemaNewValidCtxt(schema) else {
            throw FeedError(kind: .schema, file: path, reason: "cannot create a schema validation context")
        }
        self.vctxt = vctxt
        var sax = FeedSession.saxHandler()
        guard let ctxt = xmlCreatePushParserCtxt(&sax, box.toOpaque(), nil, 0, path) else {
            throw FeedError(kind: .io, file: path, reason: "cannot create an XML parser")
        }
        self.ctxt = ctxt
        xmlCtxtUseOptions(ctxt, FeedSession.parseOptions)
        state.bind(ctxt)
        xmlSchemaSetValidStructuredErrors(vctxt, FeedSession.errorHandler, box.toOpaque())
        xmlSchemaValidateSetLocator(vctxt, { ctx, file, line in
            guard let ctx else { return -1 }
            let s = Unmanaged<FeedParseState>.fromOpaque(ctx).takeUnretainedValue()
            line?.pointee = UInt(s.ctxt?.pointee.input?.pointee.line ?? 0)
            file?.pointee = nil
            return 0
        }, box.toOpaque())
        guard let plug = xmlSchemaSAXPlug(vctxt, &ctxt.pointee.sax, &ctxt.pointee.userData) else {
            throw FeedError(kind: .schema, file: path, reason: "cannot plug the schema validator into the parser")
        }
        self.plug = plug
    }

    deinit {
        if let plug { xmlSchemaSAXUnplug(plug) }
        if let ctxt { xmlFreeParserCtxt(ctxt) }
        if let vctxt { xmlSchemaFreeValidCtxt(vctxt) }
        box.release()
    }

    /// Reads the next chunk of the file, as UTF-8, and parses it; at the end of the file, finishes
    /// the parse. Errors land in `state.fatal` or on the record they concern.
    func pump() {
        guard !finished, let ctxt else { return }
        chunk.removeAll(keepingCapacity: true)
        var more = true
        if !replay.isEmpty {
            swap(&chunk, &replay)
            replay = []
        } else {
            do { more = try input.next(into: &chunk) } catch {
                if state.fatal == nil { state.fatal = error }
                finished = true
                return
            }
        }
        bytesRead = input.bytesRead
        xmlSetStructuredErrorFunc(box.toOpaque(), FeedSession.errorHandler)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        if !chunk.isEmpty {
            state.bytesPushed += chunk.count
            chunk.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { _ = xmlParseChunk(ctxt, $0.baseAddress, Int32($0.count), 0) }
            }
        }
        if !more && state.fatal == nil {
            state.terminating = true
            xmlParseChunk(ctxt, nil, 0, 1)
            finished = true
            if state.fatal == nil && !state.rootEnded {
                state.fatal = FeedError(kind: .notWellFormed, file: file, line: Int(ctxt.pointee.input?.pointee.line ?? 0),
                                        reason: "the feed is truncated: the file ends (at byte \(input.bytesRead)) before its root element <feed> is closed")
            }
        }
        if state.fatal != nil { finished = true }
    }

    static let errorHandler: xmlStructuredErrorFunc = { ctx, err in
        guard let ctx, let err else { return }
        Unmanaged<FeedParseState>.fromOpaque(ctx).takeUnretainedValue().error(err)
    }

    private static func saxHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { ctx, localname, _, uri, _, _, nbAttributes, _, attributes in
            guard let ctx, let localname else { return }
            Unmanaged<FeedParseState>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.startElement(localname, uri: uri, attributes: attributes, count: Int(nbAttributes))
            }
        }
        sax.endElementNs = { ctx, localname, _, _ in
            guard let ctx, let localname else { return }
            Unmanaged<FeedParseState>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.endElement(localname) }
        }
        sax.characters = { ctx, ch, len in
            guard let ctx, let ch else { return }
            Unmanaged<FeedParseState>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.characters(ch, Int(len)) }
        }
        sax.cdataBlock = sax.characters
        sax.internalSubset = { ctx, _, _, _ in
            guard let ctx else { return }
            Unmanaged<FeedParseState>.fromOpaque(ctx).takeUnretainedValue().doctype()
        }
        sax.entityDecl = { ctx, _, _, _, _, _ in
            guard let ctx else { return }
            Unmanaged<FeedParseState>.fromOpaque(ctx).takeUnretainedValue().doctype()
        }
        return sax
    }
}
