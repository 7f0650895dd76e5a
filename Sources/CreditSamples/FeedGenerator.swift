import CreditRegistry
import FeedIngest
/// Writes bureau feeds of any size in the formats of ``FeedReader``, deterministic per seed.
///
/// Most subjects are clean; a few percent are penalised or listed; persons serve as legal
/// representative of several companies; every code and ID has correct check characters. Output
/// is streamed: a million records never sit in memory together.
///
/// ```swift
/// let g = FeedGenerator(subjects: 10_000, seed: 42, bankRows: 1_000)
/// let written = try g.write(to: "out/samples")   // commerce-0001-full.xml, tax-…, food-…, bank-counterparties.csv
/// ```
public struct FeedGenerator: Sendable {
    public var subjects: Int
    public var seed: UInt64
    /// Rows of the bank batch file; 0 writes none.
    public var bankRows: Int
    /// The `generatedAt` of every feed header (fixed, so that output depends on the seed only).
    public var generatedAt: String

    public init(subjects: Int, seed: UInt64, bankRows: Int = 0, generatedAt: String = "2025-06-30T02:00:00+08:00") {
        self.subjects = subjects; self.seed = seed; self.bankRows = bankRows; self.generatedAt = generatedAt
    }

    /// One written file and what is in it.
    public struct Output: Sendable, Hashable {
        public var path: String
        public var records: Int
        public var counts: [String: Int]
    }

    /// Writes the feeds (and the bank file when `bankRows > 0`) into `directory`, which must exist.
    public func write(to directory: String) throws(FeedGeneratorError) -> [Output] {
        var out: [Output] = []
        out.append(try writeFeed(.commerce, path: directory + "/commerce-0001-full.xml"))
        out.append(try writeFeed(.tax, path: directory + "/tax-0001-full.xml"))
        out.append(try writeFeed(.food, path: directory + "/food-0001-full.xml"))
        if bankRows > 0 { out.append(try writeBank(path: directory + "/bank-counterparties.csv")) }
        return out
    }

    // MARK: - Subjects and persons

    struct Subject {
        var index: Int
        var code: String
        var name: String
        var kind: SubjectKind
        var division: String
        var established: Day
        var legalRep: Int
        var others: [(RelationRole, Int)]
    }

    /// Deterministic facts of subject `i` (the same in every file).
    func subject(_ i: Int) -> Subject {
        var r = SampleRandom(seed: seed, subject: i, stream: 1)
        let (div, district) = r.pick(Tables.districts)
        let roll = r.below(100)
        let kind: SubjectKind = roll < 85 ? .enterprise : roll < 97 ? .individualBusiness : roll < 99 ? .farmersCooperative : .publicInstitution
        let prefix: String
        let name: String
        let trade = r.pick(Tables.tradeNames)
        switch kind {
        case .individualBusiness:
            prefix = "92"; name = "厦门市\(district)\(r.pick(Tables.surnames))记\(r.pick(Tables.shopKinds))"
        case .farmersCooperative:
            prefix = "93"; name = "厦门\(trade)\(r.pick(["果蔬", "茶叶", "水产", "花卉"]))专业合作社"
        case .publicInstitution:
            prefix = "12"; name = "厦门市\(district)\(trade)\(r.pick(["中学", "小学", "卫生院", "图书馆"]))"
        default:
            prefix = "91"; name = "厦门\(trade)\(r.pick(Tables.industries))\(r.pick(Tables.suffixes))"
        }
        let code = SampleCodeMaker.uscc(prefix: prefix, division: div, body: organisationBody(i, kind: kind))
        let established = Day(ordinal: Day(year: 2000, month: 1, day: 1)!.ordinal + r.below(9131))
        let pool = personPool
        var others: [(RelationRole, Int)] = []
        if kind == .enterprise {
            if r.chance(0.5) { others.append((.financeChief, r.below(pool))) }
            if r.chance(0.3) { others.append((.director, r.below(pool))) }
        }
        return Subject(index: i, code: code, name: name, kind: kind, division: div, established: established,
                       legalRep: r.below(pool), others: others)
    }

    /// Persons: fewer than subjects, so that many serve several companies.
    var personPool: Int { max(8, subjects * 7 / 10) }

    /// A unique 8-character organisation body per subject, scrambled by the seed.
    private func organisationBody(_ i: Int, kind: SubjectKind) -> [UInt8] {
        let space: UInt64 = 887_503_681 // 31^6
        var mult = (seed | 1) % space
        if mult % 31 == 0 { mult += 2 }
        let v = (UInt64(i) &* mult &+ (seed >> 7)) % space
        var body: [UInt8] = kind == .individualBusiness ? Array("L7".utf8) : Array("MA".utf8)
        var x = v
        var tail = [UInt8](repeating: 0, count: 6)
        for k in (0..<6).reversed() { tail[k] = SampleCodeMaker.alphabet[Int(x % 31)]; x /= 31 }
        body += tail
        return body
    }

    func person(_ j: Int) -> (name: String, id: String) {
        var r = SampleRandom(seed: seed, subject: j, stream: 99)
        let name = r.pick(Tables.surnames) + r.pick(Tables.given)
        let birth = Day(ordinal: Day(year: 1988, month: 1, day: 1)!.ordinal + r.below(5000))
        let (y, m, d) = birth.parts
        let birthText = String(y) + (m < 10 ? "0" : "") + String(m) + (d < 10 ? "0" : "") + String(d)
        let id = SampleCodeMaker.residentID(division: r.pick(Tables.personDivisions), birth: birthText, sequence: j % 1000)
        return (name, id)
    }

    // MARK: - Feeds

    private func header(_ out: SampleOutput, _ bureau: Bureau) {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"\(bureau.namespace)\" version=\"1.0\">\n  <header>\n")
        out.element("bureau", bureau.rawValue)
        out.element("feedId", "GEN-\(bureau.rawValue.uppercased())-S\(seed)-N\(subjects)")
        out.element("sequence", "1")
        out.element("generatedAt", generatedAt)
        out.element("kind", "full")
        out.write("  </header>\n")
    }

    private func writeFeed(_ bureau: Bureau, path: String) throws(FeedGeneratorError) -> Output {
        let out = try SampleOutput(path: path)
        header(out, bureau)
        var counts: [String: Int] = [:]
        for i in 0..<subjects {
            let s = subject(i)
            switch bureau {
            case .commerce: commerce(s, out, &counts)
            case .tax: tax(s, out, &counts)
            case .food: food(s, out, &counts)
            }
        }
        out.write("</feed>\n")
        try out.close()
        return Output(path: path, records: counts.values.reduce(0, +), counts: counts)
    }

    private func open(_ out: SampleOutput, _ tag: String, _ key: String) { out.write("  <\(tag) key=\"\(key)\" op=\"upsert\">\n") }
    private func close(_ out: SampleOutput, _ tag: String) { out.write("  </\(tag)>\n") }
    private func party(_ out: SampleOutput, _ s: Subject) { out.element("code", s.code); out.element("name", s.name) }
    private func personElement(_ out: SampleOutput, role: String, _ j: Int, from: Day? = nil, bannedUntil: Day? = nil) {
        let p = person(j)
        out.write("    <person>\n")
        out.element("role", role, indent: 6); out.element("name", p.name, indent: 6); out.element("id", p.id, indent: 6)
        if let from { out.element("from", from.description, indent: 6) }
        if let bannedUntil { out.element("bannedUntil", bannedUntil.description, indent: 6) }
        out.write("    </person>\n")
    }
    private static let authority = ("厦门市市场监督管理局", "11350200MB0M1A2KX3")
    private static let taxAuthority = "国家税务总局厦门市税务局"

    private func day(_ r: inout SampleRandom, from: Day, within days: Int) -> Day { from.adding(days: r.below(max(days, 1))) }

    private func commerce(_ s: Subject, _ out: SampleOutput, _ counts: inout [String: Int]) {
        var r = SampleRandom(seed: seed, subject: s.index, stream: 2)
        let revoked = r.chance(0.02), deregistered = !revoked && r.chance(0.03)
        open(out, "registration", "REG-\(s.index)")
        out.element("event", revoked ? "revocation" : deregistered ? "deregistration" : "new")
        let statusDate = s.established.adding(days: 400 + r.below(3000))
        out.element("eventDate", (revoked || deregistered ? statusDate : s.established).description)
        party(out, s)
        out.element("kind", s.kind.rawValue)
        out.element("status", revoked ? "revoked" : deregistered ? "deregistered" : "active")
        out.element("established", s.established.description)
        if revoked || deregistered { out.element("statusDate", statusDate.description) }
        out.element("authority", s.kind == .publicInstitution ? "中共厦门市委机构编制委员会办公室" : FeedGenerator.authority.0)
        personElement(out, role: s.kind == .individualBusiness ? "principal_responsible" : "legal_representative", s.legalRep, from: s.established)
        for (role, j) in s.others { personElement(out, role: role.rawValue, j, from: s.established) }
        if s.kind == .enterprise && r.chance(0.4) {
            let p = person(s.legalRep)
            out.write("    <shareholder>\n")
            out.element("code", p.id, indent: 6); out.element("name", p.name, indent: 6); out.element("share", "100", indent: 6)
            out.write("    </shareholder>\n")
        }
        if s.established.year < 2016 && s.kind == .enterprise {
            out.write("    <legacyId>\n")
            out.element("scheme", "registration_number", indent: 6)
            out.element("value", SampleCodeMaker.registrationNumber(division: s.division, sequence: s.index), indent: 6)
            out.write("    </legacyId>\n")
        }
        close(out, "registration")
        counts["registration", default: 0] += 1

        if r.chance(0.3) && s.kind != .publicInstitution {
            let (ltype, cert, content) = r.pick(Tables.licenceKinds)
            let granted = day(&r, from: s.established, within: 2000)
            open(out, "licence", "LIC-\(s.index)")
            party(out, s)
            out.element("event", "grant")
            out.element("documentNumber", "厦市监许〔\(granted.year)〕\(s.index % 10000)号")
            out.element("licenceType", ltype); out.element("certificateName", cert)
            out.element("licenceNumber", "XK\(s.division)\(s.index)")
            out.element("content", content)
            out.element("decisionDate", granted.description); out.element("validFrom", granted.description)
            out.element("validUntil", granted.adding(years: 5).description)
            out.element("authority", FeedGenerator.authority.0); out.element("authorityCode", FeedGenerator.authority.1)
            close(out, "licence")
            counts["licence", default: 0] += 1
        }
        if r.chance(0.15) {
            let decided = Day(year: 2021, month: 1, day: 1)!.adding(days: r.below(1600))
            let sevRoll = r.below(100)
            let severity = sevRoll < 25 ? "minor" : sevRoll < 85 ? "general" : "serious"
            let (facts, basis) = r.pick(Tables.violations)
            let fine = severity == "minor" ? 0 : (1 + r.below(500))
            open(out, "penalty", "PEN-\(s.index)")
            party(out, s)
            out.element("legalRepresentative", person(s.legalRep).name)
            out.element("documentNumber", "厦市监罚〔\(decided.year)〕\(s.index % 100000)号")
            out.element("type", severity == "minor" ? "警告" : "罚款")
            if severity == "serious" { out.element("type", r.pick(Tables.penaltyTypes)) }
            out.element("facts", facts); out.element("basis", basis)
            out.element("content", fine > 0 ? "罚款\(fine / 10).\(fine % 10)万元。" : "警告。")
            if fine > 0 { out.element("fine", "\(fine / 10).\(fine % 10)") }
            out.element("decisionDate", decided.description)
            if severity != "minor" { out.element("publicityEnd", decided.adding(years: severity == "serious" ? 3 : 1).description) }
            out.element("severity", severity)
            out.element("authority", FeedGenerator.authority.0); out.element("authorityCode", FeedGenerator.authority.1)
            close(out, "penalty")
            counts["penalty", default: 0] += 1
        }
        if s.kind == .enterprise && r.chance(0.03) {
            let listed = Day(year: 2019, month: 7, day: 1)!.adding(days: r.below(2000))
            open(out, "abnormalEntry", "ABN-\(s.index)")
            party(out, s)
            out.element("ground", "1"); out.element("reason", "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告")
            out.element("listedOn", listed.description); out.element("authority", FeedGenerator.authority.0)
            close(out, "abnormalEntry")
            counts["abnormalEntry", default: 0] += 1
            if r.chance(0.5) {
                open(out, "abnormalExit", "ABN-\(s.index)-X")
                party(out, s)
                out.element("entryKey", "ABN-\(s.index)"); out.element("reason", "已补报年度报告并公示，申请移出")
                out.element("removedOn", listed.adding(days: 30 + r.below(600)).description)
                out.element("authority", FeedGenerator.authority.0)
                close(out, "abnormalExit")
                counts["abnormalExit", default: 0] += 1
            }
        }
        if s.kind == .enterprise && r.chance(0.005) {
            open(out, "seriousEntry", "SER-\(s.index)")
            party(out, s)
            out.element("ground", "penalty"); out.element("reason", "受到较重行政处罚")
            out.element("listedOn", Day(year: 2022, month: 1, day: 1)!.adding(days: r.below(1200)).description)
            out.element("authority", FeedGenerator.authority.0)
            personElement(out, role: "legal_representative", s.legalRep, from: s.established)
            close(out, "seriousEntry")
            counts["seriousEntry", default: 0] += 1
        }
    }

    private func tax(_ s: Subject, _ out: SampleOutput, _ counts: inout [String: Int]) {
        var r = SampleRandom(seed: seed, subject: s.index, stream: 3)
        guard s.kind == .enterprise || s.kind == .individualBusiness else { return }
        if r.chance(0.6) {
            for year in 2022...2024 where r.chance(0.8) {
                let g = r.below(100)
                let grade = g < 20 ? "A" : g < 75 ? "B" : g < 85 ? "M" : g < 95 ? "C" : "D"
                open(out, "grade", "GRD-\(s.index)-\(year)")
                party(out, s)
                out.element("year", String(year)); out.element("grade", grade)
                out.element("publishedOn", Day(year: year + 1, month: 4, day: 20)!.description)
                out.element("authority", FeedGenerator.taxAuthority)
                close(out, "grade")
                counts["taxGrade", default: 0] += 1
            }
        }
        if r.chance(0.01) {
            let published = Day(year: 2021, month: 1, day: 15)!.adding(days: r.below(1500))
            open(out, "case", "TAXCASE-\(s.index)")
            party(out, s)
            out.element("caseNumber", "厦税稽罚〔\(published.year)〕\(s.index % 1000)号")
            out.element("caseType", r.pick(["偷税", "逃避追缴欠税", "虚开增值税专用发票", "骗取出口退税"]))
            out.element("publishedOn", published.description)
            out.element("facts", "采取虚假申报手段少缴税款。")
            out.element("amount", "\(100 + r.below(900)).\(r.below(100))")
            out.element("authority", FeedGenerator.taxAuthority)
            personElement(out, role: "legal_representative", s.legalRep, from: s.established)
            for (role, j) in s.others where role == .financeChief { personElement(out, role: "finance_chief", j, from: s.established) }
            close(out, "case")
            counts["taxCase", default: 0] += 1
            if published.year == 2021 && r.chance(0.5) {
                open(out, "caseRemoval", "TAXCASE-\(s.index)-X")
                party(out, s)
                out.element("caseNumber", "厦税稽罚〔\(published.year)〕\(s.index % 1000)号")
                out.element("reason", "公布期满三年，依法撤出公布")
                out.element("removedOn", published.adding(years: 3).description)
                out.element("authority", FeedGenerator.taxAuthority)
                close(out, "caseRemoval")
                counts["taxCaseRemoval", default: 0] += 1
            }
        }
    }

    private func food(_ s: Subject, _ out: SampleOutput, _ counts: inout [String: Int]) {
        var r = SampleRandom(seed: seed, subject: s.index, stream: 4)
        guard r.chance(s.kind == .individualBusiness ? 0.5 : 0.08) else { return }
        let production = s.kind == .enterprise && r.chance(0.3)
        let granted = day(&r, from: s.established, within: 2000)
        open(out, "licence", "FL-\(s.index)")
        party(out, s)
        out.element("event", "grant")
        out.element("licenceType", production ? "production" : "business")
        let serial = String(s.index % 100_000_000)
        out.element("licenceNumber", (production ? "SC" : "JY") + "1" + s.division.prefix(5) + String(repeating: "0", count: 8 - serial.count) + serial)
        out.element("category", r.pick(Tables.foodCategories))
        out.element("premises", "厦门市\(s.name.prefix(6))经营场所")
        out.element("decisionDate", granted.description); out.element("validFrom", granted.description)
        out.element("validUntil", granted.adding(years: 5).description)
        out.element("authority", FeedGenerator.authority.0); out.element("authorityCode", FeedGenerator.authority.1)
        close(out, "licence")
        counts["foodLicence", default: 0] += 1
        if r.chance(0.2) {
            let decided = Day(year: 2022, month: 1, day: 1)!.adding(days: r.below(1200))
            let serious = r.chance(0.1)
            open(out, "penalty", "FP-\(s.index)")
            party(out, s)
            out.element("documentNumber", "厦市监食罚〔\(decided.year)〕\(s.index % 100000)号")
            out.element("type", "罚款")
            out.element("facts", "销售超过保质期的食品。"); out.element("basis", "《中华人民共和国食品安全法》第一百二十四条")
            out.element("content", "罚款。"); out.element("fine", String(1 + r.below(50)))
            out.element("decisionDate", decided.description)
            out.element("severity", serious ? "serious" : "general")
            out.element("authority", FeedGenerator.authority.0); out.element("authorityCode", FeedGenerator.authority.1)
            close(out, "penalty")
            counts["foodPenalty", default: 0] += 1
            if serious && r.chance(0.5) {
                let listed = decided.adding(days: 30)
                open(out, "dishonestEntry", "FD-\(s.index)")
                party(out, s)
                out.element("documentNumber", "厦市监食严〔\(listed.year)〕\(s.index % 1000)号")
                out.element("reason", "违法行为情节严重")
                out.element("listedOn", listed.description); out.element("until", listed.adding(years: 5).description)
                out.element("authority", FeedGenerator.authority.0); out.element("authorityCode", FeedGenerator.authority.1)
                personElement(out, role: "legal_representative", s.legalRep, from: s.established, bannedUntil: listed.adding(years: 5))
                close(out, "dishonestEntry")
                counts["foodDishonestEntry", default: 0] += 1
            }
        }
    }

    // MARK: - Bank file

    private func writeBank(path: String) throws(FeedGeneratorError) -> Output {
        let out = try SampleOutput(path: path)
        out.write("code,name,ref\n")
        var r = SampleRandom(seed: seed, subject: -1, stream: 5)
        var counts: [String: Int] = [:]
        for row in 0..<bankRows {
            let s = subject(r.below(max(subjects, 1)))
            let roll = r.below(100)
            var code = s.code, name = s.name, kind = "match"
            switch roll {
            case 0..<80: break
            case 80..<85: name = name.replacingBrackets(); kind = "name_variant"
            case 85..<90: name = "厦门" + r.pick(Tables.tradeNames) + "实业有限公司"; kind = "name_mismatch"
            case 90..<94: code = SampleCodeMaker.breakingCheck(code); kind = "invalid_code"
            case 94..<98:
                code = SampleCodeMaker.uscc(prefix: "91", division: "350200", body: Array("MB".utf8) + organisationBody(subjects + row, kind: .enterprise).suffix(6))
                kind = "unknown_code"
            default: code = ""; kind = "blank_code"
            }
            out.write("\(code),\(name),R\(row + 1)\n")
            counts[kind, default: 0] += 1
        }
        try out.close()
        return Output(path: path, records: bankRows, counts: counts)
    }
}

private extension String {
    /// The name with its ASCII "有限公司" replaced by a full-width-bracket variant, as banks often type it.
    func replacingBrackets() -> String {
        if let r = range(of: "有限公司") { return self[..<r.lowerBound] + "（厦门）有限公司" }
        return self + "（个体）"
    }
}
