import CreditOperations
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CreditService

/// `GET /metrics` on a live server: Prometheus text that moves with real requests and use-cases.
extension ServiceOnSQLiteTests {

    @Test func metricsCountRequestsPerRouteTemplateAndParseAsPrometheusText() async throws {
        let metrics = ServiceMetrics()
        let app = buildApplication(operations: operations, tokens: tokens, host: "127.0.0.1", port: 0, metrics: metrics)
        try await app.test(.live) { client in
            let before = try PrometheusText(try await scrape(client).body)
            #expect(before.value("credit_http_requests_total", ["route": "/v1/subjects/{id}/measures"]) == nil, "nothing counted yet")
            for _ in 0..<3 {
                #expect(try await get(client, "/v1/subjects/91350200MA2XH1K70Y/measures", token: Self.officer).status == 200)
            }
            #expect(try await get(client, "/v1/subjects/91350100M000100Y43", token: Self.officer).status == 404)
            #expect(try await get(client, "/v1/search?q=%E5%8D%8E%E5%85%B4", token: Self.operatorToken).status == 200)
            #expect(try await get(client, "/health", token: nil).status == 200)

            let scraped = try await scrape(client)
            #expect(scraped.status == 200)
            #expect(scraped.type?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = try PrometheusText(scraped.body)
            #expect(text.types["credit_http_requests_total"] == "counter")
            #expect(text.types["credit_http_request_duration_seconds"] == "histogram")
            let measures = ["method": "GET", "route": "/v1/subjects/{id}/measures", "status": "2xx"]
            #expect(text.value("credit_http_requests_total", measures) == 3)
            #expect(text.value("credit_http_request_duration_seconds_count", measures) == 3)
            #expect((text.value("credit_http_request_duration_seconds_sum", measures) ?? 0) > 0)
            #expect(text.value("credit_http_requests_total", ["route": "/v1/subjects/{id}", "status": "4xx"]) == 1)
            #expect(text.value("credit_http_requests_total", ["route": "/v1/search", "status": "2xx"]) == 1)
            #expect(text.value("credit_http_requests_total", ["route": "/health", "status": "2xx"]) == 1)
            #expect(text.value("credit_http_requests_total", ["route": "/metrics", "status": "2xx"]) == 1, "the first scrape")
            let written = (text.value("credit_audit_entries_written_total") ?? 0) - (before.value("credit_audit_entries_written_total") ?? 0)
            #expect(written >= 5, "three measures look-ups, a report, a search: each audited")
            #expect((text.value("credit_audit_commits_total") ?? 0) >= 1)
            #expect(text.value("credit_audit_queue_depth") == 0, "nothing waits once every answer was sent")
            #expect(!scraped.body.contains("91350200MA2XH1K70Y") && !scraped.body.contains("91350100M000100Y43"),
                    "routes are templates, never paths with an identifier")
            #expect(text.samples.allSatisfy { $0.labels["route"].map { $0.hasPrefix("/") && !$0.contains(":") } ?? true })
        }
    }

    @Test func metricsAreReadByAdministratorsAndOperatorsOnly() async throws {
        try await app().test(.live) { client in
            let anonymous = try await scrape(client, token: nil)
            #expect(anonymous.status == 401 && anonymous.type?.hasPrefix("application/problem+json") == true)
            #expect(try await scrape(client, token: Self.officer).status == 403)
            #expect(try await scrape(client, token: Self.bank).status == 403)
            #expect(try await scrape(client, token: Self.operatorToken).status == 200)
        }
    }

    @Test func theServiceExportsTheUseCasesIngestAndEvaluationCounters() async throws {
        let metrics = ServiceMetrics()
        let counted = operations.reportingMetrics(to: metrics.operations)
        let again = try counted.ingestFeed(path: Self.root.appendingPathComponent("samples/feeds/commerce-0001-full.xml").path)
        #expect(again.report.outcome == .alreadyIngested)
        let refresh = try counted.refreshDecisions()
        #expect(refresh.summary.subjectsEvaluated > 0)
        let app = buildApplication(operations: operations, tokens: tokens, host: "127.0.0.1", port: 0, metrics: metrics)
        try await app.test(.live) { client in
            let text = try PrometheusText(try await scrape(client).body)
            #expect(text.value("credit_ingest_feeds_total", ["outcome": "already_ingested"]) == 1)
            #expect(text.value("credit_ingest_feeds_total", ["outcome": "ingested"]) == 0)
            #expect(text.value("credit_evaluation_subjects_total", ["trigger": "refresh"]) == Double(refresh.summary.subjectsEvaluated))
            #expect(text.value("credit_evaluation_decisions_total", ["trigger": "refresh"]) == Double(refresh.summary.decisions))
            #expect(text.value("credit_ingest_records_total", ["result": "stored"]) == 0)
        }
    }

    @Test func thePrometheusReaderRefusesMalformedText() {
        #expect(throws: PrometheusText.Failure.self) { try PrometheusText("x_total 1\n") }   // no # TYPE
        #expect(throws: PrometheusText.Failure.self) { try PrometheusText("# TYPE x counter\nx{a=\"1} 1\n") }
        #expect(throws: PrometheusText.Failure.self) { try PrometheusText("# TYPE x counter\nx one\n") }
        #expect(throws: PrometheusText.Failure.self) { try PrometheusText("# TYPE 1x counter\n") }
        #expect(throws: PrometheusText.Failure.self) {
            try PrometheusText("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0.5\n")
        }
        #expect(throws: Never.self) {
            try PrometheusText("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 0.5\n# TYPE g gauge\ng{a=\"q\\\"\"} NaN\n")
        }
    }
}
