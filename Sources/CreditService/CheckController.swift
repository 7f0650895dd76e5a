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
    /// Checks in flight, against ``ServiceLimits/maxConcurrentChecks``.
    let inFlight = LockedBox(0)
    let maxConcurrent: Int

    /// The upload types a check reads (none given: read as CSV).
    static let acceptedTypes = ["text/csv", "text/plain", "application/csv", "application/octet-stream", "text/tab-separated-values"]

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self).post("check", use: check)
    }

    @Sendable func check(_ request: Request, context: ServiceContext) async throws -> Response {
        let viewer = try operations.checkViewer(for: try context.account(), channel: "api")
        let query = request.uri.queryParameters
        let csv = query.get("format") == "csv"
        if let type = request.headers[.contentType] {
            let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if media.hasPrefix("multipart/") {
                throw Problem(.unsupportedMediaType, code: "unsupported_media_type",
                              detail: "send the file itself as the body (text/csv), not a multipart form")
            }
            guard Self.acceptedTypes.contains(media) else {
                throw Problem(.unsupportedMediaType, code: "unsupported_media_type",
                              detail: "Content-Type \(media) is not a table: send text/csv or text/plain")
            }
        }
        let admitted = inFlight.withValue { n -> Bool in
            guard n < maxConcurrent else { return false }
            n += 1
            return true
        }
        guard admitted else {
            throw Problem(.tooManyRequests, code: "too_many_checks",
                          detail: "\(maxConcurrent) batch checks are already running; retry when one has finished", headers: [.retryAfter: "5"])
        }
        let inFlight = self.inFlight, released = LockedBox(false)
        // Once, when the checker has finished (or the request failed before it started).
        let release: @Sendable () -> Void = {
            if released.withValue({ r in defer { r = true }; return !r }) { inFlight.withValue { $0 -= 1 } }
        }
        let options: BatchChecker.Options
        do {
            options = BatchChecker.Options(format: csv ? .csv : .json, asOf: try request.asOfParameter(),
                                           codeColumn: query.get("code_column"), nameColumn: query.get("name_column"))
        } catch { release(); throw error }
        let stream = BatchStream(operations: operations, batchPool: pools.batches, ioPool: pools.io, maxUploadSize: context.maxUploadSize)
        do {
            return try await stream.run(request.body, options: options, viewer: viewer,
                                        contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8", finished: release)
        } catch {
            release()
            throw error
        }
    }
}
