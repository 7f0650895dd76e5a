import CreditRegistry
import CLibXML2
import Foundation

/// The bundled XSDs, compiled once per bureau and shared by every reader.
///
/// Compiled schemas are read-only once parsed, so readers on several threads may validate
/// against the same one. Loading installs an external-entity loader that only opens `.xsd`
/// files of the bundled `Schemas` directory: no network, no other local file, ever.
final class FeedSchemas: @unchecked Sendable {
    static let shared = FeedSchemas()

    /// The directory holding the bundled schemas.
    static let directory: String? = {
        if let url = Bundle.module.url(forResource: "Schemas", withExtension: nil) { return url.path }
        return nil
    }()

    private struct Compiled: @unchecked Sendable { let schema: xmlSchemaPtr }
    private let lock = NSLock()
    private var compiled: [Bureau: Compiled] = [:]

    private init() {
        xmlInitParser()
        installEntityLoader()
    }

    /// The compiled schema of a bureau's feed format (compiled on first use).
    func schema(for bureau: Bureau, file: String) throws(FeedError) -> xmlSchemaPtr {
        lock.lock()
        defer { lock.unlock() }
        if let c = compiled[bureau] { return c.schema }
        guard let dir = FeedSchemas.directory else {
            throw FeedError(kind: .schema, file: file, reason: "the bundled Schemas directory was not found")
        }
        let path = dir + "/" + bureau.schemaFileName
        let collector = SchemaErrorCollector()
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        guard let pctxt = xmlSchemaNewParserCtxt(path) else {
            throw FeedError(kind: .schema, file: file, reason: "cannot read schema \(path)")
        }
        defer { xmlSchemaFreeParserCtxt(pctxt) }
        xmlSchemaSetParserStructuredErrors(pctxt, { ctx, err in
            guard let ctx, let err, let msg = err.pointee.message else { return }
            let c = Unmanaged<SchemaErrorCollector>.fromOpaque(ctx).takeUnretainedValue()
            if c.first == nil { c.first = String(cString: msg).trimmingCharacters(in: .whitespacesAndNewlines) }
        }, box.toOpaque())
        guard let schema = xmlSchemaParse(pctxt) else {
            throw FeedError(kind: .schema, file: file,
                            reason: "schema \(bureau.schemaFileName) does not compile: \(collector.first ?? "unknown error")")
        }
        compiled[bureau] = Compiled(schema: schema)
        return schema
    }

    /// The path of a bureau's bundled schema file, if the bundle is installed.
    static func path(for bureau: Bureau) -> String? {
        directory.map { $0 + "/" + bureau.schemaFileName }
    }

    private func installEntityLoader() {
        FeedSchemas.defaultLoader = xmlGetExternalEntityLoader()
        xmlSetExternalEntityLoader { url, id, ctxt in
            guard let url, let dir = FeedSchemas.directory else { return nil }
            var path = String(cString: url)
            if path.hasPrefix("file://") { path.removeFirst(7) }
            guard path.hasPrefix(dir + "/"), path.hasSuffix(".xsd"), !path.contains("/../"),
                  let loader = FeedSchemas.defaultLoader else { return nil }
            return loader(url, id, ctxt)
        }
    }

    /// libxml2's own loader, called only for the bundled schema files. Written once, under `lock`-free
    /// initialisation of `shared` (Swift runs static initialisers exactly once).
    nonisolated(unsafe) private static var defaultLoader: xmlExternalEntityLoader?
}

/// Collects the first message of a schema compilation.
private final class SchemaErrorCollector {
    var first: String?
}
