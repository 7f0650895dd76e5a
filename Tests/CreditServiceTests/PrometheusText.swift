import Foundation

/// A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be
/// a `# TYPE`/`# HELP` comment or a sample `name{label="value",…} value`; names and label names
/// must be valid, label values properly escaped, values numbers (or `+Inf`, `-Inf`, `NaN`); a
/// family's `# TYPE` comes once, before its samples; a histogram's buckets are cumulative and its
/// `+Inf` bucket equals its `_count`. Anything else is a ``Failure`` naming the line.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }
    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    private(set) var samples: [Sample] = []
    private(set) var types: [String: String] = [:]

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Failure(line: 0, reason: "the text must end with a newline") }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let line = index + 1
            if raw.isEmpty { continue }
            if raw.hasPrefix("#") { try comment(String(raw), line: line); continue }
            let sample = try Self.sample(Array(raw.unicodeScalars), line: line)
            guard let family = family(of: sample.name) else {
                throw Failure(line: line, reason: "sample \(sample.name) comes before its # TYPE")
            }
            if types[family] == "histogram", sample.name.hasSuffix("_bucket"), sample.labels["le"] == nil {
                throw Failure(line: line, reason: "a histogram bucket without le")
            }
            samples.append(sample)
        }
        try checkHistograms()
    }

    /// The value of the one sample named `name` whose labels include `labels`, or nil.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { k, v in sample.labels[k] == v } }?.value
    }

    private mutating func comment(_ line: String, line number: Int) throws {
        let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
        guard parts.count >= 3, parts[0] == "#", ["TYPE", "HELP"].contains(parts[1]) else { return }   // other comments are allowed
        guard Self.isName(parts[2]) else { throw Failure(line: number, reason: "invalid metric name \(parts[2])") }
        if parts[1] == "TYPE" {
            guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                throw Failure(line: number, reason: "invalid # TYPE line")
            }
            guard types[parts[2]] == nil else { throw Failure(line: number, reason: "a second # TYPE for \(parts[2])") }
            guard !samples.contains(where: { family(of: $0.name) == parts[2] }) else {
                throw Failure(line: number, reason: "# TYPE of \(parts[2]) after its samples")
            }
            types[parts[2]] = parts[3]
        }
    }

    private func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let t = types[base], t == "histogram" || t == "summary" { return base }
        }
        return nil
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first == ":" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0 == ":" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private static func sample(_ s: [Unicode.Scalar], line: Int) throws -> Sample {
        var i = 0
        func fail(_ reason: String) -> Failure { Failure(line: line, reason: reason) }
        var name = ""
        while i < s.count, s[i] != "{", s[i] != " " { name.unicodeScalars.append(s[i]); i += 1 }
        guard isName(name) else { throw fail("invalid metric name \(name)") }
        var labels: [String: String] = [:]
        if i < s.count, s[i] == "{" {
            i += 1
            while i < s.count, s[i] != "}" {
                var label = ""
                while i < s.count, s[i] != "=" { label.unicodeScalars.append(s[i]); i += 1 }
                guard isName(label), !label.hasPrefix("__"), i + 1 < s.count, s[i + 1] == "\"" else { throw fail("invalid label \(label)") }
                i += 2
                var value = ""
                while i < s.count, s[i] != "\"" {
                    if s[i] == "\\" {
                        guard i + 1 < s.count else { throw fail("unfinished escape") }
                        switch s[i + 1] {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw fail("invalid escape \\\(s[i + 1])")
                        }
                        i += 2
                    } else { value.unicodeScalars.append(s[i]); i += 1 }
                }
                guard i < s.count else { throw fail("unterminated label value") }
                guard labels.updateValue(value, forKey: label) == nil else { throw fail("label \(label) twice") }
                i += 1
                if i < s.count, s[i] == "," { i += 1 }
            }
            guard i < s.count else { throw fail("unterminated label set") }
            i += 1
        }
        guard i < s.count, s[i] == " " else { throw fail("no value") }
        let rest = String(String.UnicodeScalarView(s[(i + 1)...])).split(separator: " ")
        guard (1...2).contains(rest.count) else { throw fail("expected a value and an optional timestamp") }
        let value: Double
        switch rest[0] {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let v = Double(rest[0]) else { throw fail("value \(rest[0]) is not a number") }
            value = v
        }
        if rest.count == 2, Int64(rest[1]) == nil { throw fail("timestamp \(rest[1]) is not an integer") }
        return Sample(name: name, labels: labels, value: value)
    }

    /// Each histogram series: buckets non-decreasing in `le` order, `+Inf` equal to `_count`.
    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            var series: [[String: String]: [(le: Double, count: Double)]] = [:]
            for s in samples where s.name == family + "_bucket" {
                var key = s.labels
                let le = key.removeValue(forKey: "le")!
                guard let bound = le == "+Inf" ? Double.infinity : Double(le) else { throw Failure(line: 0, reason: "\(family): le=\(le)") }
                series[key, default: []].append((bound, s.value))
            }
            for (labels, buckets) in series {
                let sorted = buckets.sorted { $0.le < $1.le }
                guard zip(sorted, sorted.dropFirst()).allSatisfy({ $0.count <= $1.count }) else {
                    throw Failure(line: 0, reason: "\(family)\(labels): buckets are not cumulative")
                }
                guard let inf = sorted.last, inf.le == .infinity else { throw Failure(line: 0, reason: "\(family)\(labels): no +Inf bucket") }
                let count = samples.first { $0.name == family + "_count" && $0.labels == labels }?.value
                guard count == inf.count else { throw Failure(line: 0, reason: "\(family)\(labels): _count \(count ?? -1) ≠ +Inf bucket \(inf.count)") }
                guard samples.contains(where: { $0.name == family + "_sum" && $0.labels == labels }) else {
                    throw Failure(line: 0, reason: "\(family)\(labels): no _sum")
                }
            }
        }
    }
}
