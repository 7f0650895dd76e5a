import Foundation

/// A JSON value exactly as sent: `true` is never the number 1, `1` never a boolean.
enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    static func parse(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    subscript(_ key: String) -> JSONValue? { object?[key] }
}

/// Checks JSON values against the schemas of an OpenAPI 3.0 document — the subset the service's
/// document uses: `$ref` to `#/components/schemas`, `type`, `nullable`, `enum`, `format` (`date`,
/// `date-time`, `int64`), `required`, `properties`, `additionalProperties`, `items`, `maxLength`,
/// `minimum`/`maximum`, `anyOf`/`oneOf`.
///
/// Stricter than JSON Schema on purpose: an object whose schema lists `properties` is closed — a
/// member the document does not name is an error — so the document must describe every member
/// the service sends. A keyword outside the subset is an error too, so nothing passes unchecked.
struct SchemaValidator {
    let document: JSONValue

    static let keywords: Set<String> = ["$ref", "type", "nullable", "enum", "format", "required", "properties", "additionalProperties",
                                        "items", "maxLength", "minimum", "maximum", "anyOf", "oneOf", "description", "default"]

    /// Every way `value` departs from `schema`, each with the JSON path where it does.
    func errors(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        guard let schema = schema.object else { return ["\(path): the schema is not an object"] }
        if let unknown = schema.keys.first(where: { !Self.keywords.contains($0) }) { return ["\(path): keyword \(unknown) is not supported"] }
        if let ref = schema["$ref"]?.string {
            guard let resolved = resolve(ref) else { return ["\(path): unresolved \(ref)"] }
            return errors(value, resolved, at: path)
        }
        if value == .null {
            return schema["nullable"] == .bool(true) ? [] : ["\(path): null where the document allows none"]
        }
        if let choices = (schema["anyOf"] ?? schema["oneOf"])?.array {
            let matching = choices.filter { errors(value, $0, at: path).isEmpty }.count
            if schema["oneOf"] != nil ? matching != 1 : matching == 0 { return ["\(path): matches \(matching) of the alternatives"] }
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) { return ["\(path): \(value) is not one of \(allowed)"] }
        switch (schema["type"]?.string, value) {
        case (nil, _): return []
        case ("string", .string(let s)):
            return stringErrors(s, schema, at: path)
        case ("integer", .integer(let i)):
            return rangeErrors(Double(i), schema, at: path)
        case ("number", .integer(let i)):
            return rangeErrors(Double(i), schema, at: path)
        case ("number", .number(let n)):
            return rangeErrors(n, schema, at: path)
        case ("boolean", .bool):
            return []
        case ("array", .array(let items)):
            guard let itemSchema = schema["items"] else { return [] }
            return items.enumerated().flatMap { errors($0.element, itemSchema, at: "\(path)[\($0.offset)]") }
        case ("object", .object(let members)):
            return objectErrors(members, schema, at: path)
        case (let type?, _):
            return ["\(path): \(value) is not of type \(type)"]
        }
    }

    private func objectErrors(_ members: [String: JSONValue], _ schema: [String: JSONValue], at path: String) -> [String] {
        var found: [String] = []
        for name in schema["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
            found.append("\(path): required member \(name) is missing")
        }
        let properties = schema["properties"]?.object
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let property = properties?[name] {
                found += errors(member, property, at: "\(path).\(name)")
            } else if let extra = schema["additionalProperties"], extra.object != nil {
                found += errors(member, extra, at: "\(path).\(name)")
            } else if properties != nil && schema["additionalProperties"] != .bool(true) {
                found.append("\(path): member \(name) is not in the document")
            }
        }
        return found
    }

    private func stringErrors(_ s: String, _ schema: [String: JSONValue], at path: String) -> [String] {
        if case .integer(let max)? = schema["maxLength"], s.count > max { return ["\(path): longer than \(max)"] }
        switch schema["format"]?.string {
        case "date":
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyy-MM-dd"
            guard s.utf8.count == 10, let d = f.date(from: s), f.string(from: d) == s else { return ["\(path): \(s) is not a date (yyyy-MM-dd)"] }
        case "date-time":
            guard ISO8601DateFormatter().date(from: s) != nil else { return ["\(path): \(s) is not a date-time (RFC 3339)"] }
        default: break
        }
        return []
    }

    private func rangeErrors(_ n: Double, _ schema: [String: JSONValue], at path: String) -> [String] {
        func bound(_ key: String) -> Double? {
            switch schema[key] { case .integer(let i)?: Double(i); case .number(let d)?: d; default: nil }
        }
        if let min = bound("minimum"), n < min { return ["\(path): \(n) < \(min)"] }
        if let max = bound("maximum"), n > max { return ["\(path): \(n) > \(max)"] }
        return []
    }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in ref.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }
}
