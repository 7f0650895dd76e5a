/// "Did you mean …?" suggestions for unknown names.
enum Suggest {
    /// The candidate closest to `name`: one that starts with it or contains it, else the one
    /// with the smallest edit distance if that distance is small for the name's length.
    static func closest<S: Sequence>(_ name: String, in candidates: S) -> String? where S.Element == String {
        let all = Array(Set(candidates)).sorted()
        guard !name.isEmpty, !all.isEmpty else { return nil }
        let lower = name.lowercased()
        if let p = all.filter({ $0.hasPrefix(lower) }).min(by: { ($0.count, $0) < ($1.count, $1) }) { return p }
        if lower.count >= 3, let c = all.filter({ $0.contains(lower) }).min(by: { ($0.count, $0) < ($1.count, $1) }) { return c }
        var best: (Int, String)?
        for c in all {
            let d = distance(lower, c)
            if best == nil || d < best!.0 { best = (d, c) }
        }
        guard let (d, c) = best, d <= max(1, min(3, name.count / 3)) else { return nil }
        return c
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var row = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            row[0] = i
            for j in 1...y.count {
                row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &row)
        }
        return prev[y.count]
    }
}
