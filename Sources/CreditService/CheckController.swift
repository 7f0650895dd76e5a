import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import Hummingbird

/// The bank batch check over HTTP: a CSV (UTF-8 or GB18030) or one code per line in, one
/// verdict per row out (JSON Lines, or CSV with `?format=csv`), in input order. The upload is
/// streamed through the checker (``BatchStream``), which runs on the batch pool — one check at a
/// time, at a lower priority — off the request path of look-ups.
struct CheckController {
    let operations: CreditOperations
    let pools: ServicePools

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self).post("check", use: check)
    }

    @Sendable func check(_ request: Request, context: ServiceContext) async throws -> Response {
        let viewer = try operations.checkViewer(for: try context.account(), channel: "api")
        let query = request.uri.queryParameters
        let csv = query.get("format") == "csv"
        if let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/") {
            throw Problem(.unsupportedMediaType, code: "unsupported_media_type",
                          detail: "send the file itself as the body (text/csv), not a multipart form")
        }
        let options = BatchChecker.Options(format: csv ? .csv : .json, asOf: try request.asOfParameter(),
                                           codeColumn: query.get("code_column"), nameColumn: query.get("name_column"))
        let stream = BatchStream(operations: operations, batchPool: pools.batches, ioPool: pools.io, maxUploadSize: context.maxUploadSize)
        return try await stream.run(request.body, options: options, viewer: viewer,
                                    contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8")
    }
}
