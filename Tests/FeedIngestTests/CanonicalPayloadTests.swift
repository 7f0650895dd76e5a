import CreditRegistry
import Testing
@testable import FeedIngest

/// A record's stored payload and content hash come from ``FeedRecordMapper/canonicalJSON(_:)``:
/// a re-sent record is "unchanged" only if it gives the same bytes as when it was first stored,
/// so the bytes may never change. These tests hold them to the `String`-built writer they were
/// first defined by (kept here as the reference), on seeded random items.
@Suite struct CanonicalPayloadTests {
    /// The canonical payload as it was first written, appending to a `String`.
    static func reference(_ item: FeedItem) -> String {
        var out = "{\"op\":\"\(item.operation.rawValue)\",\"kind\":\"\(item.kind.rawValue)\",\"key\":"
        appendString(item.key, to: &out)
        for k in item.fields.keys.sorted() {
            out += ","; appendString(k, to: &out); out += ":"; appendString(item.fields[k] ?? "", to: &out)
        }
        for g in item.groups.keys.sorted() {
            out += ","; appendString(g, to: &out); out += ":["
            for (i, obj) in (item.groups[g] ?? []).enumerated() {
                if i > 0 { out += "," }
                out += "{"
                for (j, k) in obj.keys.sorted().enumerated() {
                    if j > 0 { out += "," }
                    appendString(k, to: &out); out += ":"; appendString(obj[k] ?? "", to: &out)
                }
                out += "}"
            }
            out += "]"
        }
        return out + "}"
    }

    /// JSON string escaping as it was first written, scalar by scalar into a `String`.
    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }

    /// Text of every kind a feed can bring: CJK, full-width forms, combining marks, emoji,
    /// quotes, backslashes and each control character.
    static func text(_ random: inout CreditRegistry.SeededRandom) -> String {
        let pieces: [String] = ["福州", "某某科技有限公司", "Ａ１", "e\u{301}", "\u{E9}", "😀", "\"", "\\", "/", " ", "a", "0",
                                "\r\n", "\u{7F}", "\u{2028}"] + (0..<32).map { String(UnicodeScalar(UInt8($0))) }
        return (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    static func item(_ random: inout CreditRegistry.SeededRandom) -> FeedItem {
        var fields: [String: String] = [:]
        for _ in 0..<Int(random.next() % 8) { fields["f" + text(&random)] = text(&random) }
        var groups: [String: [[String: String]]] = [:]
        for _ in 0..<Int(random.next() % 3) {
            groups["g" + text(&random)] = (0..<Int(random.next() % 3)).map { _ in
                var obj: [String: String] = [:]
                for _ in 0..<Int(random.next() % 4) { obj[text(&random)] = text(&random) }
                return obj
            }
        }
        return FeedItem(line: 1, kind: FeedItemKind.allCases[Int(random.next() % UInt64(FeedItemKind.allCases.count))],
                        key: "K" + text(&random), operation: random.next() % 2 == 0 ? .upsert : .revoke,
                        fields: fields, groups: groups, byteOffset: 0)
    }

    @Test func bytesEqualTheFirstDefinition() {
        var random = CreditRegistry.SeededRandom(seed: 20261202)
        var escaped = 0
        for _ in 0..<3_000 {
            let item = Self.item(&random)
            let expected = Self.reference(item)
            if expected.contains("\\u00") { escaped += 1 }
            #expect(Array(FeedRecordMapper.canonicalJSON(item).utf8) == Array(expected.utf8), "\(item)")
        }
        #expect(escaped > 100, "control characters were generated and escaped")
    }

    @Test func aStoredPayloadKeepsItsBytes() {
        let item = FeedItem(line: 7, kind: .penalty, key: "P-1", operation: .upsert,
                            fields: ["type": "警告;罚款", "code": "91350100M000100Y43", "note": "a\"b\\c\u{1}\n"],
                            groups: ["person": [["role": "legal_representative", "name": "张丽"]]], byteOffset: 0)
        #expect(FeedRecordMapper.canonicalJSON(item) == """
            {"op":"upsert","kind":"penalty","key":"P-1","code":"91350100M000100Y43","note":"a\\"b\\\\c\\u0001\\n","type":"警告;罚款",\
            "person":[{"name":"张丽","role":"legal_representative"}]}
            """)
    }
}
