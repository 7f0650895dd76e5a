import CreditRegistry
import FeedIngest
import Decisions
import Foundation
import GRDB
import GRDBSQLite

/// Deterministic generated registry: valid USCCs in sorted order, realistic Chinese company
/// names, ~5% former names, ~10% legacy registration numbers, ~3% with decisions, ~2% listed.
public enum BenchData {
    static let regions = ["110105", "310115", "330106", "350100", "350200", "420106", "440300", "510107"]
    static let cities = ["北京", "上海", "杭州", "福州", "厦门", "武汉", "深圳", "成都"]
    static let syllables = Array("华兴盛达昌隆泰和安康瑞丰鑫源恒通宏远金银佳美新天海龙凤祥云德信诚明光辉正大中东方南北嘉禾润泽博文宇航启智创联合众利永福宝庆乐惠民合力长城春秋晨曦星辰锦绣腾飞卓越精工优品汇聚万家豪邦盈科致远同心")
    static let trades = ["科技", "贸易", "建筑工程", "餐饮管理", "电子商务", "物流", "文化传媒", "食品", "医药", "机械设备",
                         "房地产开发", "投资管理", "信息技术", "环保科技", "服装", "农业开发", "汽车销售", "装饰设计", "教育咨询", "网络科技"]
    static let suffixes: [(String, Int)] = [("有限公司", 75), ("股份有限公司", 8), ("有限责任公司", 7), ("合伙企业（有限合伙）", 3),
                                            ("经营部", 4), ("商行", 3)]
    static let measures = ["GOV-PROC-01", "TAX-D-02", "FIN-LOAN-03", "MKT-BID-04", "SOC-HONOR-05", "FIN-BOND-06"]

    static func perRegion(_ n: Int) -> Int { (n + regions.count - 1) / regions.count }

    /// The USCC of subject number `i` (0 ..< n): sorted in `i`.
    static func code(_ i: Int, of n: Int) -> String {
        let per = perRegion(n)
        let region = regions[i / per]
        let seq = i % per
        var body = Array("91\(region)\(pad(seq, 8))".utf8)
        body.append(orgCheck(Array(body[8..<16])))
        body.append(usccCheck(body))
        return String(decoding: body, as: UTF8.self)
    }

    static func registrationNumber(_ i: Int, of n: Int) -> String {
        "\(regions[i / perRegion(n)])\(pad(i % perRegion(n), 9))"
    }

    static func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static func usccCheck(_ u: [UInt8]) -> UInt8 {
        var sum = 0, w = 1
        for b in u.prefix(17) {
            let v = alphabet.firstIndex(of: b) ?? 0
            sum += v * w
            w = w * 3 % 31
        }
        return alphabet[(31 - sum % 31) % 31]
    }
    static func orgCheck(_ u: [UInt8]) -> UInt8 {
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (k, b) in u.enumerated() { sum += (b >= 65 ? Int(b) - 55 : Int(b) - 48) * weights[k] }
        let c = 11 - sum % 11
        return c == 10 ? UInt8(ascii: "X") : c == 11 ? UInt8(ascii: "0") : UInt8(48 + c)
    }

    /// SplitMix64, so every run generates the same registry.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func name(_ i: Int, of n: Int, variant: UInt64 = 0) -> String {
        var r = mix(UInt64(i) &* 7919 &+ variant)
        func next(_ m: Int) -> Int { let v = Int(r % UInt64(m)); r = mix(r); return v }
        var s = cities[i / perRegion(n)]
        let len = 2 + next(3) / 2
        for _ in 0..<len { s.append(syllables[next(syllables.count)]) }
        s += trades[next(trades.count)]
        var pick = next(100)
        for (suffix, weight) in suffixes {
            if pick < weight { s += suffix; break }
            pick -= weight
        }
        return s
    }

    static func hasDecisions(_ i: Int) -> Bool { i % 33 == 7 }
    static func hasFormerName(_ i: Int) -> Bool { i % 20 == 3 }
    static func hasRegistrationNumber(_ i: Int) -> Bool { i % 10 == 1 }
    static func isListed(_ i: Int) -> Bool { i % 50 == 11 }

    /// Builds the registry at `path` with `n` subjects (bulk path: no journal, one prepared
    /// statement per table, keys in sorted order, name index rebuilt at the end).
    static func build(path: String, subjects n: Int, log: (String) -> Void) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY")
        }
        let queue = try DatabaseQueue(path: path, configuration: config)
        try DecisionSchema.migrate(try Registry(writer: queue))
        let started = Date()
        func elapsed() -> String { String(format: "%.1f s", Date().timeIntervalSince(started)) }
        let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
        func bind(_ s: OpaquePointer?, _ i: Int32, _ text: String?) {
            guard var t = text else { sqlite3_bind_null(s, i); return }
            t.withUTF8 { u in _ = sqlite3_bind_text(s, i, UnsafeRawPointer(u.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(u.count), transient) }
        }
        func run(_ stmt: Statement) throws {
            let rc = sqlite3_step(stmt.sqliteStatement)
            guard rc == SQLITE_DONE else { throw BenchmarkError(message: "insert failed: \(rc)") }
            sqlite3_reset(stmt.sqliteStatement)
        }
        try queue.inDatabase { db in
            try NameIndex.suspendIndexing(in: db)
            try db.execute(sql: "BEGIN")
            let subject = try db.makeStatement(sql: "INSERT INTO subject (id, code, kind, name, status, established_on, region) VALUES (?, ?, 'enterprise', ?, ?, ?, ?)")
            let alias = try db.makeStatement(sql: "INSERT INTO alias (value, scheme, subject_code) VALUES (?, ?, ?)")
            let nameStmt = try db.makeStatement(sql: "INSERT INTO subject_name (subject_code, name, valid_from, valid_to) VALUES (?, ?, ?, ?)")
            let decision = try db.makeStatement(sql: """
                INSERT INTO decision (subject_code, measure, rule, memorandum, kind, category, department, department_name, basis, text,
                    valid_from, valid_until, financial, caused_by, ruleset_version, evaluated_on)
                VALUES (?, ?, 'r1', '发改财金〔2016〕141号', ?, 'administrative', ?, ?, '备忘录第一条', '限制措施', '2023-01-01', NULL, ?, '[]', 'bench', '2024-01-01')
                """)
            let list = try db.makeStatement(sql: """
                INSERT INTO list_entry (subject_code, list, entered_on, entry_key, entry_record) VALUES (?, 'abnormal_operations', '2022-05-01', ?, 0)
                """)
            for i in 0..<n {
                let code = Self.code(i, of: n)
                let s = subject.sqliteStatement
                sqlite3_bind_int64(s, 1, Int64(i + 1))
                bind(s, 2, code); bind(s, 3, Self.name(i, of: n)); bind(s, 4, i % 40 == 5 ? "revoked" : "active"); bind(s, 5, "2015-06-01")
                bind(s, 6, regions[i / perRegion(n)])
                try run(subject)
                if hasDecisions(i) {
                    for k in 0..<(1 + i % 3) {
                        let m = measures[(i / 33 + k) % measures.count]
                        let d = decision.sqliteStatement
                        bind(d, 1, code); bind(d, 2, m); bind(d, 3, m.hasPrefix("SOC") ? "incentive" : "punishment")
                        bind(d, 4, m.hasPrefix("FIN") ? "pboc" : "ndrc"); bind(d, 5, m.hasPrefix("FIN") ? "中国人民银行" : "发展改革委")
                        sqlite3_bind_int(d, 6, m.hasPrefix("FIN") ? 1 : 0)
                        try run(decision)
                    }
                }
                if isListed(i) { bind(list.sqliteStatement, 1, code); bind(list.sqliteStatement, 2, "bench:\(i)"); try run(list) }
                if i % 500_000 == 499_999 { log("subjects \(i + 1) \(elapsed())") }
            }
            log("subjects done \(elapsed())")
            for i in 0..<n where hasRegistrationNumber(i) {
                bind(alias.sqliteStatement, 1, registrationNumber(i, of: n)); bind(alias.sqliteStatement, 2, "registration_number")
                bind(alias.sqliteStatement, 3, Self.code(i, of: n))
                try run(alias)
            }
            log("aliases done \(elapsed())")
            for i in 0..<n {
                let code = Self.code(i, of: n)
                var names = [(Self.name(i, of: n), "2015-06-01", String?.none)]
                if hasFormerName(i) { names.append((Self.name(i, of: n, variant: 99), "2010-01-01", "2015-06-01")) }
                names.sort { $0.0 < $1.0 }
                for (nm, from, to) in names where names.count == 1 || names[0].0 != names[1].0 || to == nil {
                    bind(nameStmt.sqliteStatement, 1, code); bind(nameStmt.sqliteStatement, 2, nm); bind(nameStmt.sqliteStatement, 3, from)
                    bind(nameStmt.sqliteStatement, 4, to)
                    try run(nameStmt)
                }
            }
            log("names done \(elapsed())")
            try db.execute(sql: "COMMIT")
            try db.execute(sql: "BEGIN")
            try NameIndex.rebuild(in: db)
            try db.execute(sql: "COMMIT")
            log("name index and trigram index built \(elapsed())")
            try db.execute(sql: "ANALYZE")
        }
        try queue.close()
    }

    /// Opens the benchmark registry, generating it when missing or of another size.
    static func open(path: String, subjects n: Int, log: (String) -> Void) throws -> Registry {
        let marker = path + ".size"
        let have = (try? String(contentsOfFile: marker, encoding: .utf8)).flatMap { Int($0) }
        if have != n || !FileManager.default.fileExists(atPath: path) {
            log("generating a registry of \(n) subjects at \(path)")
            let t = Date()
            try build(path: path, subjects: n) { log("  \($0)") }
            try String(n).write(toFile: marker, atomically: true, encoding: .utf8)
            let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int ?? 0) / 1_048_576
            log(String(format: "generated in %.1f s, %d MiB", Date().timeIntervalSince(t), size))
        }
        let registry = try Registry(path: path)
        try DecisionSchema.migrate(registry)
        return registry
    }

    /// Generates the benchmark registry of `subjects` subjects at `path` unless it is there.
    public static func generate(path: String, subjects: Int, log: (String) -> Void) throws {
        _ = try open(path: path, subjects: subjects, log: log)
    }

    /// p50 and p99 of microsecond samples.
    static func percentiles(_ samples: [Double]) -> (p50: Double, p99: Double) {
        let s = samples.sorted()
        guard !s.isEmpty else { return (0, 0) }
        return (s[s.count / 2], s[min(s.count - 1, Int(Double(s.count) * 0.99))])
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
