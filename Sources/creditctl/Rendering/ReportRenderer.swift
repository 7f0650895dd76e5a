import CreditQuery
import CreditRegistry
import Foundation

/// Renders a ``SubjectReport`` as plain text for the terminal or as a self-contained HTML page
/// (inline CSS, no scripts, no external resources, every value escaped).
///
/// ```swift
/// print(ReportRenderer.text(report))
/// try ReportRenderer.html(report).write(toFile: "report.html", atomically: true, encoding: .utf8)
/// ```
public enum ReportRenderer {
    // MARK: Text

    public static func text(_ r: SubjectReport) -> String {
        var out: [String] = []
        let id = r.identity
        out.append("\(id.name)  \(id.code)")
        out.append("kind: \(id.kind.rawValue)  status: \(id.statusLabel) (\(id.status.rawValue))\(id.statusSince.map { " since \($0)" } ?? "")")
        if let e = id.establishedOn { out.append("established: \(e)") }
        if let a = id.authority { out.append("authority: \(a)") }
        out.append("as of: \(r.asOf)\(r.department.map { "  department: \($0)" } ?? "")\(r.masked ? "" : "  (unmasked)")")

        section(&out, "Measures in force", r.measures.map { m in
            var lines = ["\(m.forDepartment ? "▶ " : "")[\(m.kind.rawValue)]\(m.toVerify.isEmpty ? "" : " [to verify]") \(m.measure) \(m.text)",
                         "    department: \(m.departmentName) (\(m.department))\(m.cooperating.isEmpty ? "" : "  with: " + m.cooperating.joined(separator: ", "))  category: \(m.category)\(m.financial ? "  financial" : "")",
                         "    from \(m.validFrom) until \(m.validUntil?.description ?? "open")  basis: \(m.basis)",
                         "    memorandum: \(m.memorandum)  rule: \(m.rule)"]
            if let via = m.viaCode { lines.append("    via \(m.viaRole ?? "relation") of \(via)") }
            for f in m.toVerify { lines.append("    to verify: \(VerifiableFact(rawValue: f)?.question ?? f) (\(f))") }
            for c in m.causes { lines.append("    caused by: \(sourceText(c))") }
            for a in m.applied { lines.append("    \(appliedText(a))") }
            return lines.joined(separator: "\n")
        })
        section(&out, "Status history", r.statusHistory.map { "\($0.since)  \($0.status.chinese) (\($0.status.rawValue))" })
        section(&out, "Identifiers", r.aliases.map { "\($0.scheme.rawValue): \($0.value)" })
        section(&out, "Names", r.names.map { "\($0.name)  \($0.from?.description ?? "?") – \($0.to?.description ?? "")\($0.current ? "  (current)" : "  (former)")" })
        section(&out, "Key persons", r.keyPersons.map(linkText))
        section(&out, "Related subjects", r.relatedSubjects.map(linkText))
        section(&out, "List entries", r.listEntries.map { e in
            var s = "\(e.list)  \(e.enteredOn) – \(e.exitedOn?.description ?? "")\(e.active ? "  (in force)" : "")"
            if let g = e.ground { s += "  ground \(g)" }
            if let why = e.reason { s += "  \(why)" }
            if let src = e.entry { s += "\n    entry: \(sourceText(src))" }
            if let src = e.exit { s += "\n    exit: \(sourceText(src))" }
            return s
        })
        section(&out, "Penalties", r.penalties.map { p in
            "\(p.documentNumber)  \(p.decidedOn)  \(p.types.joined(separator: "、"))  ¥\(p.fineYuan)  \(p.severity)"
                + (p.revokedOn.map { "  revoked \($0)" } ?? "") + (p.repairedOn.map { "  repaired \($0)" } ?? "")
                + (p.source.map { "\n    source: \(sourceText($0))" } ?? "")
        })
        section(&out, "Licences", r.licences.map { l in
            "\(l.type) \(l.number)  \(l.grantedOn) – \(l.validUntil?.description ?? "")" + (l.revokedOn.map { "  revoked \($0)" } ?? "")
                + (l.source.map { "\n    source: \(sourceText($0))" } ?? "")
        })
        section(&out, "Tax grades", r.taxGrades.map { g in
            "\(g.year): \(g.grade) published \(g.publishedOn)" + (g.source.map { "\n    source: \(sourceText($0))" } ?? "")
        })
        return out.joined(separator: "\n")
    }

    static func section(_ out: inout [String], _ title: String, _ items: [String]) {
        out.append("")
        out.append("\(title) (\(items.count))")
        out.append(contentsOf: items.isEmpty ? ["  —"] : items.map { "  " + $0 })
    }

    static func linkText(_ l: SubjectReport.Link) -> String {
        "\(l.role.rawValue): \(l.name ?? "?") \(l.code)  \(l.from) – \(l.to?.description ?? "")\(l.current ? "  (current)" : "  (former)")"
            + (l.share.map { "  share \($0)" } ?? "")
    }

    static func sourceText(_ s: SubjectReport.Source) -> String {
        var t = "record \(s.recordID) \(s.kind), \(s.bureau)"
        if let f = s.feed { t += " feed \(f)" }
        if let file = s.file { t += " (\(file))" }
        t += " line \(s.line)"
        if let d = s.documentNumber { t += ", \(d)" }
        if let e = s.effectiveFrom { t += ", effective \(e)" }
        return t
    }

    // MARK: HTML

    /// Escapes `& < > " '` for HTML text and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    public static func html(_ r: SubjectReport) -> String {
        let e = escape
        let id = r.identity
        func table(_ title: String, _ header: [String], _ rows: [[String]]) -> String {
            var h = "<h2>\(e(title)) <small>(\(rows.count))</small></h2>\n"
            guard !rows.isEmpty else { return h + "<p class=\"none\">—</p>\n" }
            h += "<table><thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for row in rows { h += "<tr>" + row.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n" }
            return h + "</tbody></table>\n"
        }
        func src(_ s: SubjectReport.Source?) -> String { s.map(sourceText) ?? "" }
        var body = """
            <h1>\(e(id.name))</h1>
            <p class="code">\(e(id.code))</p>
            <dl>
            <dt>kind</dt><dd>\(e(id.kind.rawValue))</dd>
            <dt>status</dt><dd>\(e(id.statusLabel)) (\(e(id.status.rawValue)))\(id.statusSince.map { " since \(e($0.description))" } ?? "")</dd>
            <dt>established</dt><dd>\(e(id.establishedOn?.description ?? "—"))</dd>
            <dt>authority</dt><dd>\(e(id.authority ?? "—"))</dd>
            <dt>as of</dt><dd>\(e(r.asOf.description))\(r.department.map { " · department \(e($0))" } ?? "")\(r.masked ? "" : " · unmasked")</dd>
            </dl>

            """
        body += table("Measures in force", ["", "kind", "measure", "department", "basis", "from", "until", "via", "caused by"],
                      r.measures.map { m in
                          [m.forDepartment ? "▶" : "", m.kind.rawValue + (m.financial ? " · financial" : "") + (m.toVerify.isEmpty ? "" : " · to verify: " + m.toVerify.joined(separator: ", ")),
                           "\(m.measure) \(m.text)",
                           "\(m.departmentName) (\(m.department))", m.basis, m.validFrom.description, m.validUntil?.description ?? "open",
                           m.viaCode.map { "\(m.viaRole ?? "") \($0)" } ?? "",
                           (m.causes.map(sourceText) + m.applied.map(appliedText)).joined(separator: "; ")]
                      })
        body += table("Status history", ["since", "status"], r.statusHistory.map { [$0.since.description, "\($0.status.chinese) (\($0.status.rawValue))"] })
        body += table("Identifiers", ["scheme", "value"], r.aliases.map { [$0.scheme.rawValue, $0.value] })
        body += table("Names", ["name", "from", "to", ""], r.names.map { [$0.name, $0.from?.description ?? "", $0.to?.description ?? "", $0.current ? "current" : "former"] })
        let linkRow: (SubjectReport.Link) -> [String] = { l in
            [l.role.rawValue, l.name ?? "", l.code, l.from.description, l.to?.description ?? "", l.current ? "current" : "former"]
        }
        body += table("Key persons", ["role", "name", "code", "from", "to", ""], r.keyPersons.map(linkRow))
        body += table("Related subjects", ["role", "name", "code", "from", "to", ""], r.relatedSubjects.map(linkRow))
        body += table("List entries", ["list", "entered", "exited", "ground", "reason", "entry source", "exit source"], r.listEntries.map {
            [$0.list, $0.enteredOn.description, $0.exitedOn?.description ?? "", $0.ground ?? "", $0.reason ?? "", src($0.entry), src($0.exit)]
        })
        body += table("Penalties", ["document", "decided", "types", "fine (¥)", "severity", "source"], r.penalties.map {
            [$0.documentNumber, $0.decidedOn.description, $0.types.joined(separator: "、"), $0.fineYuan, $0.severity, src($0.source)]
        })
        body += table("Licences", ["type", "number", "granted", "valid until", "revoked", "source"], r.licences.map {
            [$0.type, $0.number, $0.grantedOn.description, $0.validUntil?.description ?? "", $0.revokedOn?.description ?? "", src($0.source)]
        })
        body += table("Tax grades", ["year", "grade", "published", "source"], r.taxGrades.map {
            [String($0.year), $0.grade, $0.publishedOn.description, src($0.source)]
        })
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(id.name)) · \(e(id.code))</title>
            <style>
            body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em;color:#222}
            h1{margin-bottom:0}.code{font-family:monospace;color:#555;margin-top:.2em}
            dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#666}dd{margin:0}
            table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
            th{background:#f3f3f3}small{color:#888;font-weight:normal}.none{color:#888}
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }
}
