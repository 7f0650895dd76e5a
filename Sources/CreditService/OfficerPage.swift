import CreditRegistry
import Foundation
import Hummingbird
import HTTPTypes

/// The officers' page (`Resources/officer.html`), served with a Content-Security-Policy that
/// allows only its own inline script and style (by their SHA-256) and requests to this origin:
/// no external resource, no injected script, no framing.
enum OfficerPage {
    private static let page: (body: ByteBuffer, policy: String)? = {
        guard let url = Bundle.module.url(forResource: "Resources/officer.html", withExtension: nil),
              let data = try? Data(contentsOf: url) else { return nil }
        let html = String(decoding: data, as: UTF8.self)
        return (ByteBuffer(bytes: data), policy(for: html))
    }()

    /// The page, or 404 when the resource is missing from the build.
    static func response() throws -> Response {
        guard let page else { throw Problem(.notFound, code: "not_found", detail: "officer.html is missing from the service's resources") }
        return Response(status: .ok, headers: [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: page.policy,
            .cacheControl: "no-store",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Frame-Options")!: "DENY",
        ], body: .init(byteBuffer: page.body))
    }

    /// `default-src 'none'` plus the hashes of every inline `<script>` and `<style>` of `html`.
    static func policy(for html: String) -> String {
        let scripts = blocks(of: "script", in: html).map(hashSource)
        let styles = blocks(of: "style", in: html).map(hashSource)
        return ["default-src 'none'", "script-src " + scripts.joined(separator: " "), "style-src " + styles.joined(separator: " "),
                "connect-src 'self'", "img-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'"]
            .joined(separator: "; ")
    }

    /// The text between each `<tag>` and `</tag>` (attribute-less tags, as the page writes them).
    static func blocks(of tag: String, in html: String) -> [String] {
        var found: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<\(tag)>"), let close = rest.range(of: "</\(tag)>", range: open.upperBound..<rest.endIndex) {
            found.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    private static func hashSource(_ text: String) -> String {
        let hex = Array(Digest.sha256Hex(text.utf8).utf8)
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: hex.count, by: 2) { bytes.append(UInt8(String(decoding: hex[i..<i + 2], as: UTF8.self), radix: 16)!) }
        return "'sha256-\(Data(bytes).base64EncodedString())'"
    }
}
