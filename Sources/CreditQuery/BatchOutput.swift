import CreditRegistry
import Decisions
/// Hand-written CSV and JSON Lines encoding of verdicts into a byte buffer (stable column and
/// key order, no Foundation encoder on the hot path).
struct BatchOutput {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    // MARK: CSV

    /// Appends one CSV cell. A cell a spreadsheet would take for a formula — one that starts
    /// with `=`, `+`, `-`, `@`, a tab or a carriage return — is neutralised as the OWASP
    /// CSV-injection guidance advises: prefixed with `'` and quoted, so it is shown as text.
    mutating func csvField(_ s: String) {
        var s = s
        s.withUTF8 { u in
            let formula = u.first.map(Self.startsFormula) ?? false
            if formula || u.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                bytes.append(0x22)
                if formula { bytes.append(0x27) }
                for b in u { if b == 0x22 { bytes.append(0x22) }; bytes.append(b) }
                bytes.append(0x22)
            } else {
                bytes.append(contentsOf: u)
            }
        }
    }

    /// `=`, `+`, `-`, `@`, tab, carriage return: the first characters spreadsheets run as formulas.
    @inline(__always) static func startsFormula(_ b: UInt8) -> Bool {
        b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D
    }

    mutating func csvRow(_ fields: [String]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            csvField(f)
        }
        bytes.append(0x0A)
    }

    // MARK: JSON

    mutating func jsonString(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { u in
            for b in u {
                switch b {
                case 0x22: bytes.append(0x5C); bytes.append(0x22)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
                default: bytes.append(b)
                }
            }
        }
        bytes.append(0x22)
    }

    mutating func jsonOptional(_ s: String?) {
        if let s { jsonString(s) } else { raw("null") }
    }

    mutating func jsonArray(_ items: [String]) {
        bytes.append(0x5B)
        for (i, s) in items.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            jsonString(s)
        }
        bytes.append(0x5D)
    }

    // MARK: Verdicts

    static func score(_ s: Double?) -> String? {
        guard let s else { return nil }
        let hundredths = Int((s * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }

    mutating func csv(_ v: BatchVerdict, inputs: [String], asOf: String) {
        raw(String(v.row))
        for f in inputs { bytes.append(0x2C); csvField(f) }
        func field(_ s: String?) { bytes.append(0x2C); if let s { csvField(s) } }
        func flag(_ b: Bool) { bytes.append(0x2C); if b { raw("true") } else { raw("false") } }
        func list(_ items: [String]) {
            bytes.append(0x2C)
            if !items.isEmpty { csvField(items.joined(separator: ";")) }
        }
        field(v.code); flag(v.codeValid); field(v.codeProblem); flag(v.found); field(v.registeredName)
        field(v.nameMatch?.rawValue); field(Self.score(v.nameScore)); field(v.status)
        list(v.lists); list(v.punishments); list(v.incentives); list(v.financialMeasures)
        flag(v.flagged); field(asOf); field(v.error)
        bytes.append(0x0A)
    }

    mutating func json(_ v: BatchVerdict, headers: [String], inputs: [String], asOf: String) {
        raw("{\"row\":"); raw(String(v.row))
        raw(",\"input\":{")
        for (i, h) in headers.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            jsonString(h); bytes.append(0x3A); jsonString(i < inputs.count ? inputs[i] : "")
        }
        raw("},\"code\":"); jsonOptional(v.code)
        raw(",\"code_valid\":"); raw(v.codeValid ? "true" : "false")
        raw(",\"code_problem\":"); jsonOptional(v.codeProblem)
        raw(",\"found\":"); raw(v.found ? "true" : "false")
        raw(",\"registered_name\":"); jsonOptional(v.registeredName)
        raw(",\"name_match\":"); jsonOptional(v.nameMatch?.rawValue)
        raw(",\"name_score\":"); raw(Self.score(v.nameScore) ?? "null")
        raw(",\"status\":"); jsonOptional(v.status)
        raw(",\"lists\":"); jsonArray(v.lists)
        raw(",\"punishments\":"); jsonArray(v.punishments)
        raw(",\"incentives\":"); jsonArray(v.incentives)
        raw(",\"financial_measures\":"); jsonArray(v.financialMeasures)
        raw(",\"flagged\":"); raw(v.flagged ? "true" : "false")
        raw(",\"as_of\":"); jsonString(asOf)
        raw(",\"error\":"); jsonOptional(v.error)
        raw("}\n")
    }
}
