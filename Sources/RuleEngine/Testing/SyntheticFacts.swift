import CreditRegistry

/// Generates realistic-looking subjects for benchmarks: most clean, a few percent listed, some
/// with grades, penalties, revoked status and key persons. Deterministic for a seed.
public enum SyntheticFacts {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private static func code(_ prefix: String, _ n: Int) -> String {
        let s = String(n)
        return prefix + String(repeating: "0", count: max(0, 16 - s.count)) + s
    }

    /// `count` subjects evaluated around `day` (facts dated within the five years before it).
    public static func generate(count: Int, seed: UInt64, around day: Day) -> [SubjectFacts] {
        var rng = SplitMix(state: seed)
        var out: [SubjectFacts] = []
        out.reserveCapacity(count)
        func chance(_ p: Double) -> Bool { Double(rng.next() % 1_000_000) / 1_000_000 < p }
        func daysBack(_ max: Int) -> Day { day.adding(days: -Int(rng.next() % UInt64(max))) }
        var record: Int64 = 1
        func rid() -> Int64 { record += 1; return record }
        let grades: [TaxGrade] = [.A, .A, .A, .B, .B, .B, .B, .B, .B, .B, .M, .M, .C, .C, .C, .D]
        for i in 0..<count {
            let r = rng.next() % 100
            let kind: SubjectKind = r < 60 ? .enterprise : r < 85 ? .individualBusiness : .naturalPerson
            let code = kind == .naturalPerson ? code("11", i) : code(kind == .enterprise ? "91" : "92", i)
            var f = SubjectFacts(code: code, kind: kind, name: "主体\(i)")
            if kind != .naturalPerson {
                f.keyPersons.append(RelationFact(role: .legalRepresentative, from: code, to: SyntheticFacts.code("1P", i),
                                                 validFrom: daysBack(4000), recordID: rid()))
                if kind == .enterprise && chance(0.5) {
                    f.keyPersons.append(RelationFact(role: .financeChief, from: code, to: SyntheticFacts.code("1F", i),
                                                     validFrom: daysBack(3000), recordID: rid()))
                }
                if kind == .enterprise && chance(0.6) {
                    for y in 0..<2 {
                        let year = day.year - 2 + y
                        f.taxGrades.append(TaxGradeFact(year: year, grade: grades[Int(rng.next() % UInt64(grades.count))],
                                                        publishedOn: Day(year: year + 1, month: 4, day: 20)!, recordID: rid()))
                    }
                }
                if chance(0.04) {
                    f.listEntries.append(ListEntryFact(list: KnownList.abnormalOperations, enteredOn: daysBack(1800),
                                                       exitedOn: chance(0.3) ? daysBack(100) : nil, ground: "1", recordIDs: [rid()]))
                }
                if chance(0.003) { f.listEntries.append(ListEntryFact(list: KnownList.majorTaxViolation, enteredOn: daysBack(1500), recordIDs: [rid()])) }
                if chance(0.002) { f.listEntries.append(ListEntryFact(list: KnownList.foodDrugSeriousDishonest, enteredOn: daysBack(1500), recordIDs: [rid()])) }
                if chance(0.005) { f.listEntries.append(ListEntryFact(list: KnownList.seriousViolation, enteredOn: daysBack(1500), recordIDs: [rid()])) }
                if chance(0.01) { f.status = .revoked; f.statusSince = daysBack(2000) }
            }
            if chance(0.015) {
                f.listEntries.append(ListEntryFact(list: KnownList.dishonestDebtor, enteredOn: daysBack(1200), exitedOn: chance(0.3) ? daysBack(30) : nil,
                                                   ground: String(1 + rng.next() % 6), recordIDs: [rid()]))
            }
            if chance(0.08) {
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    f.penalties.append(PenaltyFact(documentNumber: "罚字〔\(day.year)〕\(rid())号", decidedOn: daysBack(1500), types: ["罚款"],
                                                   fineMicroWan: Int64(rng.next() % 50_000_000), severity: chance(0.2) ? .serious : chance(0.1) ? .minor : .general,
                                                   repairedOn: chance(0.2) ? daysBack(200) : nil, recordID: rid()))
                }
            }
            out.append(f)
        }
        return out
    }

    /// A one-line summary of the mix.
    public static func describe(_ facts: [SubjectFacts]) -> String {
        let listed = facts.filter { !$0.listEntries.isEmpty }.count
        let graded = facts.filter { !$0.taxGrades.isEmpty }.count
        let penalised = facts.filter { !$0.penalties.isEmpty }.count
        let persons = facts.filter { $0.kind == .naturalPerson }.count
        func pct(_ n: Int) -> String { facts.isEmpty ? "0%" : "\((n * 1000 / facts.count + 5) / 10)%" }
        return "\(pct(listed)) listed, \(pct(graded)) graded, \(pct(penalised)) with penalties, \(pct(persons)) natural persons"
    }
}
