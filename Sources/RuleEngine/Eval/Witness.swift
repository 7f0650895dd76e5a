import CreditRegistry

/// A span of days during which a condition holds, with the records that make it hold.
/// `start`/`end` are day ordinals, end exclusive; ``Interval/negInf`` / ``Interval/posInf`` for
/// "no date" and "open".
struct Witness: Sendable {
    var start: Int
    var end: Int
    var records: [Int64]
    var ground: String? = nil
    var severity: PenaltySeverity? = nil
    var repaired: Int? = nil
    var publicityEnd: Int? = nil
    /// Its end comes from a list whose owner's exits govern (``ListInfo/authoritative``).
    var authoritative = false
    /// Facts nobody has verified that the witness assumes.
    var toVerify: [String] = []

    static let always = [Witness(start: Interval.negInf, end: Interval.posInf, records: [])]

    /// The overlap of two witnesses (nil when they do not overlap).
    func intersect(_ o: Witness) -> Witness? {
        let s = max(start, o.start), e = min(end, o.end)
        guard s < e else { return nil }
        var w = Witness(start: s, end: e, records: o.records.isEmpty ? records : records.isEmpty ? o.records : records + o.records)
        w.severity = severity ?? o.severity
        w.repaired = repaired ?? o.repaired
        w.publicityEnd = publicityEnd ?? o.publicityEnd
        w.authoritative = authoritative || o.authoritative
        w.toVerify = toVerify.isEmpty ? o.toVerify : o.toVerify.isEmpty ? toVerify : Array(Set(toVerify + o.toVerify)).sorted()
        return w
    }
}
