import CreditRegistry

/// Decides a feed's encoding from its first bytes, before libxml2 sees any of them.
///
/// Accepted: UTF-8 (with or without a byte-order mark; also when the declaration names no
/// encoding, or there is no declaration) and GB18030 with its subsets GBK and GB2312 (declared
/// `GB18030`, `GBK` or `GB2312`). Every other declaration, a UTF-16 or UTF-32 file, or a BOM that
/// contradicts the declaration is refused. libxml2 only ever sees UTF-8 and a declaration that
/// says so: it never switches encodings itself.
struct FeedEncoding {
    /// The encoding the file is read in.
    var encoding: TextEncoding
    /// The prolog bytes to hand to the parser in place of the file's own declaration (for a
    /// GB18030 feed the declaration names UTF-8), and how many bytes of the file they replace.
    var declarationReplacement: [UInt8]
    var declarationLength: Int

    /// How many bytes `detect` needs to see (or the whole file when shorter).
    static let sniffLength = 1024

    /// - Parameter head: the first bytes of the file (up to ``sniffLength``).
    static func detect(_ head: [UInt8], file: String) throws(FeedError) -> FeedEncoding {
        if head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE, 0x00, 0x00])
            || head.starts(with: [0x00, 0x00, 0x00, 0x3C]) || head.starts(with: [0x3C, 0x00, 0x00, 0x00]) {
            throw refusal(file, "the feed is UTF-32")
        }
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0x00, 0x3C]) || head.starts(with: [0x3C, 0x00]) {
            throw refusal(file, "the feed is UTF-16")
        }
        let bom = TextEncoding.byteOrderMark(at: head)
        let skip = bom?.byteOrderMark.count ?? 0
        let rest = Array(head[skip...])
        guard rest.starts(with: Array("<?xml".utf8)), rest.count > 5, [0x20, 0x09, 0x0A, 0x0D].contains(rest[5]) else {
            return FeedEncoding(encoding: bom ?? .utf8, declarationReplacement: [], declarationLength: 0)
        }
        guard let end = Self.find(Array("?>".utf8), in: rest) else {
            if head.count < sniffLength {
                throw FeedError(kind: .notWellFormed, file: file, line: 1,
                                reason: "the feed is truncated: the file (\(head.count) bytes) ends inside its XML declaration")
            }
            throw FeedError(kind: .notWellFormed, file: file, line: 1,
                            reason: "not well-formed: the XML declaration is not closed with '?>' within its first \(sniffLength) bytes")
        }
        let declaration = Array(rest[0..<(end + 2)])
        guard let (name, range) = Self.encodingAttribute(declaration) else {
            if let bom, bom != .utf8 {
                return FeedEncoding(encoding: bom, declarationReplacement: [], declarationLength: 0)
            }
            return FeedEncoding(encoding: .utf8, declarationReplacement: [], declarationLength: 0)
        }
        guard let declared = TextEncoding(declaredName: name) else {
            throw refusal(file, "the feed declares encoding \"\(name)\"")
        }
        if let bom, bom != declared {
            throw FeedError(kind: .encoding, file: file, line: 1,
                            reason: "the feed starts with a \(bom.rawValue) byte-order mark but declares encoding \"\(name)\"")
        }
        if declared == .utf8 { return FeedEncoding(encoding: .utf8, declarationReplacement: [], declarationLength: 0) }
        var replaced = declaration
        replaced.replaceSubrange(range, with: Array("UTF-8".utf8))
        return FeedEncoding(encoding: declared, declarationReplacement: replaced, declarationLength: skip + declaration.count)
    }

    static func refusal(_ file: String, _ what: String) -> FeedError {
        FeedError(kind: .encoding, file: file, line: 1,
                  reason: "\(what), which is not accepted: feeds must be UTF-8 or GB18030 (or its subsets GBK and GB2312)")
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }

    /// The value of the declaration's `encoding` pseudo-attribute and its range.
    private static func encodingAttribute(_ d: [UInt8]) -> (String, Range<Int>)? {
        guard let at = find(Array("encoding".utf8), in: d) else { return nil }
        var i = at + 8
        while i < d.count, d[i] == 0x20 || d[i] == 0x09 || d[i] == 0x0A || d[i] == 0x0D { i += 1 }
        guard i < d.count, d[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        while i < d.count, d[i] == 0x20 || d[i] == 0x09 || d[i] == 0x0A || d[i] == 0x0D { i += 1 }
        guard i < d.count, d[i] == 0x22 || d[i] == 0x27 else { return nil }
        let quote = d[i]
        let start = i + 1
        guard let close = d[start...].firstIndex(of: quote) else { return nil }
        return (String(decoding: d[start..<close], as: UTF8.self), start..<close)
    }
}
