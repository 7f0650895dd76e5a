import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import HTTPTypes
import Hummingbird

/// The bank batch check over HTTP: a CSV (UTF-8 or GB18030) or one code per line in, one
/// verdict per row out (JSON Lines, or CSV with `?format=csv`), in input order. The check runs
/// on the batch pool (one at a time, at a lower priority), off the request path of look-ups.
struct CheckController {
    let operations: CreditOperations
    let pool: BlockingPool

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self).post("check", use: check)
    }

    @Sendable func check(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require(\.mayCheck, "run batch checks")
        let query = request.uri.queryParameters
        let asOf = try request.asOfParameter()
        let csv = query.get("format") == "csv"
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let input = Array(buffer: body)
        let options = BatchChecker.Options(format: csv ? .csv : .json, asOf: asOf,
                                           codeColumn: query.get("code_column"), nameColumn: query.get("name_column"))
        let viewer = Viewer(actor: "api:\(caller.name)", maySeePersonalIDs: false)
        let operations = self.operations
        do {
            let (output, summary) = try await pool.run { try operations.batchCheck(input: input, options: options, viewer: viewer) }
            return Response(status: .ok, headers: [
                .contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
                HTTPField.Name("X-Check-Summary")!: "rows=\(summary.rows) valid=\(summary.valid) found=\(summary.found) flagged=\(summary.flagged)",
            ], body: .init(byteBuffer: ByteBuffer(bytes: output)))
        } catch let e as OperationError {
            throw HTTPError(.badRequest, message: e.description)
        }
    }
}
