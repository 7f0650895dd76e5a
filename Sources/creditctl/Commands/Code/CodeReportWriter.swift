import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery

/// Checks codes one at a time and writes the verdicts in the chosen format, buffered.
struct CodeReportWriter {
    /// nil: no output (exit status only).
    let format: OutputFormat?
    let options: CreditCode.Options
    let unmask: Bool
    let today = Day.today()
    private var out = ByteOutput()
    private(set) var validCount = 0
    private(set) var invalidCount = 0

    init(format: OutputFormat?, acceptLegacy: Bool, unmask: Bool) {
        self.format = format
        self.options = acceptLegacy ? .acceptLegacyChecksum : []
        self.unmask = unmask
        if format == .csv {
            out.write("input,valid,scheme,code,authority,category,division,region,organization_code,birth_date,sex,errors,warnings\n")
        }
    }

    /// Checks one code given as UTF-8 bytes; blank input is skipped when `skipBlank`.
    mutating func check(line: UnsafeBufferPointer<UInt8>, skipBlank: Bool) {
        let candidates = IdentifierDetector.detect(utf8: line, options: options, today: today)
        if candidates.isEmpty && skipBlank { return }
        let primary = candidates.first ?? IdentifierDetector.Candidate(
            scheme: .uscc, result: .failure(IdentifierError(scheme: nil, reason: .empty)))
        if primary.isValid { validCount += 1 } else { invalidCount += 1 }
        switch format {
        case .json: writeJSON(line, primary, candidates.dropFirst())
        case .table: writeTable(line, primary, candidates.dropFirst())
        case .csv: writeCSV(line, primary)
        case nil: break
        }
    }

    mutating func finish() {
        if format == .table {
            let total = validCount + invalidCount
            out.write(total == 1 ? "1 code: " : "\(total) codes: ")
            out.write("\(validCount) valid, \(invalidCount) invalid\n")
        }
        out.flush()
    }

    // MARK: decoded fields

    /// The fields a valid identifier decodes to, in output order, as (json key, table label, value).
    private func fields(_ id: ParsedIdentifier) -> [(String, String, String)] {
        switch id {
        case .creditCode(let c):
            let division = c.division
            var f = [
                ("authority", "authority", String(c.authority.code)),
                ("authority_name", "", c.authority.name),
                ("category", "category", String(c.category.code)),
                ("category_name", "", c.category.name),
                ("kind", "kind", c.subjectKind.rawValue),
                ("division", "division", division.description),
                ("region", "region", division.regionName),
            ]
            f.append(("organization_code", "organisation code", c.organizationCode?.description ?? c.subjectIdentifier))
            if c.hasLegacyChecksum { f.append(("legacy_checksum", "legacy checksum", "true")) }
            return f
        case .residentID(let r):
            let division = r.division
            return [
                ("birth_date", "birth date", r.birthDate.description),
                ("sex", "sex", r.sex.rawValue),
                ("division", "division", division.description),
                ("region", "region", division.regionName),
            ]
        case .registrationNumber(let n):
            let division = n.division
            return [
                ("division", "division", division.description),
                ("region", "region", division.regionName),
            ]
        case .organizationCode:
            return []
        }
    }

    private func canonical(_ id: ParsedIdentifier) -> String {
        if case .residentID(let r) = id, !unmask { return r.masked }
        return id.description
    }

    // MARK: JSON Lines

    private mutating func writeJSON(_ input: UnsafeBufferPointer<UInt8>, _ primary: IdentifierDetector.Candidate,
                                    _ others: ArraySlice<IdentifierDetector.Candidate>) {
        out.write("{\"input\":")
        out.writeJSONString(utf8: input)
        out.write(primary.isValid ? ",\"valid\":true,\"scheme\":" : ",\"valid\":false,\"scheme\":")
        writeSchemeJSON(primary)
        if let id = primary.identifier {
            out.write(",\"code\":")
            out.writeJSONString(canonical(id))
            writeFieldsJSON(id)
        }
        writeDiagnosticsJSON(primary)
        if !others.isEmpty {
            out.write(",\"alternatives\":[")
            var first = true
            for c in others {
                if !first { out.write(byte: UInt8(ascii: ",")) }
                first = false
                out.write("{\"scheme\":")
                writeSchemeJSON(c)
                out.write(c.isValid ? ",\"valid\":true" : ",\"valid\":false")
                if let id = c.identifier {
                    out.write(",\"code\":")
                    out.writeJSONString(canonical(id))
                }
                writeDiagnosticsJSON(c)
                out.write(byte: UInt8(ascii: "}"))
            }
            out.write(byte: UInt8(ascii: "]"))
        }
        out.write("}\n")
    }

    private mutating func field(_ key: StaticString, _ value: String) {
        out.write(key)
        out.writeJSONString(value)
    }

    private mutating func writeFieldsJSON(_ id: ParsedIdentifier) {
        switch id {
        case .creditCode(let c):
            let authority = c.authority, category = c.category, division = c.division
            field(",\"authority\":", String(authority.code))
            field(",\"authority_name\":", authority.name)
            field(",\"category\":", String(category.code))
            field(",\"category_name\":", category.name)
            field(",\"kind\":", category.subjectKind.rawValue)
            field(",\"division\":", division.description)
            field(",\"region\":", division.regionName)
            field(",\"organization_code\":", c.organizationCode?.description ?? c.subjectIdentifier)
            if c.hasLegacyChecksum { out.write(",\"legacy_checksum\":true") }
        case .residentID(let r):
            let division = r.division
            field(",\"birth_date\":", r.birthDate.description)
            field(",\"sex\":", r.sex.rawValue)
            field(",\"division\":", division.description)
            field(",\"region\":", division.regionName)
        case .registrationNumber(let n):
            let division = n.division
            field(",\"division\":", division.description)
            field(",\"region\":", division.regionName)
        case .organizationCode:
            break
        }
    }

    private mutating func writeSchemeJSON(_ c: IdentifierDetector.Candidate) {
        if let error = c.error, error.scheme == nil {
            out.write("null")
        } else {
            out.writeJSONString(c.identifier?.scheme.rawValue ?? c.scheme.rawValue)
        }
    }

    private mutating func writeDiagnosticsJSON(_ c: IdentifierDetector.Candidate) {
        out.write(",\"errors\":[")
        if let e = c.error {
            out.write("{\"code\":")
            out.writeJSONString(e.code)
            out.write(",\"position\":")
            if let p = e.position { out.write(int: p) } else { out.write("null") }
            out.write(",\"message\":")
            out.writeJSONString(e.message)
            out.write(byte: UInt8(ascii: "}"))
        }
        out.write("],\"warnings\":[")
        var first = true
        for w in c.warnings {
            if !first { out.write(byte: UInt8(ascii: ",")) }
            first = false
            out.write("{\"code\":")
            out.writeJSONString(w.code)
            out.write(",\"message\":")
            out.writeJSONString(w.message)
            out.write(byte: UInt8(ascii: "}"))
        }
        out.write(byte: UInt8(ascii: "]"))
    }

    // MARK: table

    private mutating func writeTable(_ input: UnsafeBufferPointer<UInt8>, _ primary: IdentifierDetector.Candidate,
                                     _ others: ArraySlice<IdentifierDetector.Candidate>) {
        let typed = String(decoding: input, as: UTF8.self)
        let scheme = primary.identifier?.scheme ?? primary.scheme
        out.write(typed)
        if primary.isValid {
            out.write(": valid \(scheme.title) (\(scheme.chineseName))\n")
        } else if primary.error?.scheme == nil {
            out.write(": INVALID\n")
        } else {
            out.write(": INVALID \(scheme.title) (\(scheme.chineseName))\n")
        }
        if let id = primary.identifier {
            if case .residentID = id { row("number", canonical(id)) }
            if case .creditCode(let c) = id {
                row("authority", "\(c.authority.code) \(c.authority.name)")
                row("category", "\(c.category.code) \(c.category.name) (\(c.subjectKind.rawValue))")
                row("division", "\(c.division) \(c.division.regionName)")
                row("organisation code", c.organizationCode?.description ?? c.subjectIdentifier)
            } else {
                for (key, label, value) in fields(id) where !label.isEmpty && key != "region" {
                    row(label, key == "division" ? "\(value) \(fields(id).first { $0.0 == "region" }?.2 ?? "")" : value)
                }
            }
        }
        if let e = primary.error {
            // a caret under the position when the input was typed in normalised form
            if let p = e.position, typed.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isUppercase || ("0"..."9").contains($0)) }),
               p <= typed.unicodeScalars.count {
                out.write("  " + String(repeating: " ", count: 19) + typed + "\n")
                out.write("  " + String(repeating: " ", count: 19 + p - 1) + "^\n")
            }
            row("error", e.message)
        }
        for w in primary.warnings { row("warning", w.message) }
        for c in others {
            let s = c.identifier?.scheme ?? c.scheme
            if let e = c.error {
                row("not a \(s.title)", e.message)
            } else {
                row("also valid as", "\(s.title) \(c.identifier.map(canonical) ?? "")")
            }
        }
    }

    private mutating func row(_ label: String, _ value: String) {
        out.write("  ")
        out.write(label)
        let width = label.unicodeScalars.count
        out.write(String(repeating: " ", count: max(1, 19 - width)))
        out.write(value)
        out.write(byte: 0x0A)
    }

    // MARK: CSV

    private mutating func writeCSV(_ input: UnsafeBufferPointer<UInt8>, _ primary: IdentifierDetector.Candidate) {
        out.writeCSVField(String(decoding: input, as: UTF8.self))
        out.write(primary.isValid ? ",true," : ",false,")
        if primary.error?.scheme != nil || primary.isValid {
            out.write((primary.identifier?.scheme ?? primary.scheme).rawValue)
        }
        var values: [String: String] = [:]
        if let id = primary.identifier {
            values["code"] = canonical(id)
            for (key, _, value) in fields(id) { values[key] = value }
            if case .creditCode(let c) = id {
                values["authority"] = "\(c.authority.code) \(c.authority.name)"
                values["category"] = "\(c.category.code) \(c.category.name)"
            }
        }
        for key in ["code", "authority", "category", "division", "region", "organization_code", "birth_date", "sex"] {
            out.write(byte: UInt8(ascii: ","))
            if let v = values[key] { out.writeCSVField(v) }
        }
        out.write(byte: UInt8(ascii: ","))
        if let e = primary.error { out.writeCSVField(e.message) }
        out.write(byte: UInt8(ascii: ","))
        out.writeCSVField(primary.warnings.map(\.message).joined(separator: "; "))
        out.write(byte: 0x0A)
    }
}
