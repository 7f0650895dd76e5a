import CreditRegistry
import Foundation
import HTTPTypes
import Hummingbird
import RuleEngine

/// The bank batch check over HTTP: a CSV (UTF-8 or GB18030) or one code per line in, one
/// verdict per row out (JSON Lines, or CSV with `?format=csv`), in input order.
struct CheckController {
    let registry: Registry

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self).post("check", use: check)
    }

    @Sendable func check(_ request: Request, context: ServiceContext) async throws -> Response {
        _ = try context.require(\.mayCheck, "run batch checks")
        let query = request.uri.queryParameters
        let asOf = try request.asOfParameter()
        let csv = query.get("format") == "csv"
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let input = Array(buffer: body)
        let options = BatchChecker.Options(format: csv ? .csv : .json, asOf: asOf,
                                           codeColumn: query.get("code_column"), nameColumn: query.get("name_column"))
        let provider = try RuleDecisionProvider.forBatch(registry: registry, asOf: asOf)
        do {
            let (output, summary) = try BatchChecker(registry: registry, decisions: provider).run(input: input, options: options)
            return Response(status: .ok, headers: [
                .contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
                HTTPField.Name("X-Check-Summary")!: "rows=\(summary.rows) valid=\(summary.valid) found=\(summary.found) flagged=\(summary.flagged)",
            ], body: .init(byteBuffer: ByteBuffer(bytes: output)))
        } catch let e as BatchError {
            throw HTTPError(.badRequest, message: e.description)
        }
    }
}
