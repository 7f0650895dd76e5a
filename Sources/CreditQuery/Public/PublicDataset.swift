import CreditRegistry

/// The four tables of the open-data publication, their columns (the data dictionary) and how a
/// ``PublicRecord`` flattens into their rows. Every table starts with `code` and `key`, and rows
/// are in (`code`, `key`) order, which is what the delta is computed on.
public enum PublicDataset: String, Sendable, CaseIterable, Codable {
    case subjects, licences, penalties, lists

    /// One column of a table.
    public struct Column: Sendable, Codable, Hashable {
        public var name: String
        /// Chinese label (the CSV header stays the stable `name`).
        public var label: String
        /// `text`, `date` (yyyy-MM-dd), `decimal` (yuan, two decimals) or `integer`.
        public var type: String
        public var description: String
    }

    /// The table's Chinese title.
    public var title: String {
        switch self {
        case .subjects: "市场主体身份信息"
        case .licences: "行政许可信息（双公示，公示期内）"
        case .penalties: "行政处罚信息（双公示，公示期内）"
        case .lists: "公开名单信息（列入期间）"
        }
    }

    private static func c(_ n: String, _ l: String, _ t: String, _ d: String) -> Column { Column(name: n, label: l, type: t, description: d) }
    private static let head = [c("code", "统一社会信用代码", "text", "the entity's unified social credit code"),
                               c("key", "记录标识", "text", "stable key of the row (the code for subjects, the registry's record key otherwise)")]
    private static let tail = [c("public_from", "公示起始日", "date", "first day the item is shown"),
                               c("public_until", "公示截止日", "date", "first day the item is no longer shown (empty: no end known yet)"),
                               c("source_bureau", "数据来源单位", "text", "the bureau whose feed or list carried the item"),
                               c("source_document", "来源文书号", "text", "the document number the source record names"),
                               c("source_record", "来源记录号", "integer", "the registry's record id of the source")]

    public var columns: [Column] {
        let c = Self.c
        switch self {
        case .subjects:
            return Self.head + [c("name", "名称", "text", "registered name"), c("kind", "主体类型", "text", "enterprise, individual_business, …"),
                                c("status", "登记状态", "text", "active, revoked, deregistered, moved_out, suspended"),
                                c("status_label", "登记状态（中文）", "text", "存续, 吊销, 注销, 迁出, 停业"),
                                c("status_since", "状态日期", "date", "day the status took effect"),
                                c("established_on", "成立日期", "date", "day of establishment"),
                                c("registration_authority", "登记机关", "text", "registration authority"),
                                c("region", "登记机关行政区划码", "text", "division code of the registering authority")]
        case .licences:
            return Self.head + [c("number", "许可编号", "text", "licence number"), c("type", "许可类别", "text", "licence type"),
                                c("granted_on", "许可决定日期", "date", "day of the licensing decision"),
                                c("valid_until", "有效期至", "date", "end of validity")] + Self.tail
        case .penalties:
            return Self.head + [c("document_number", "行政处罚决定书文号", "text", "decision document number"),
                                c("decided_on", "处罚决定日期", "date", "day of the decision"),
                                c("types", "处罚类别", "text", "penalty types, separated by ;"),
                                c("fine_yuan", "罚款金额（元）", "decimal", "fine in yuan"),
                                c("severity", "失信行为严重程度", "text", "general (一般) or serious (严重)"),
                                c("authority", "处罚机关", "text", "deciding authority")] + Self.tail
        case .lists:
            return Self.head + [c("list", "名单标识", "text", "list id"), c("list_name", "名单名称", "text", "the list's Chinese name"),
                                c("entered_on", "列入日期", "date", "day of listing"), c("ground", "列入事由代码", "text", "listing ground as given"),
                                c("authority", "作出决定机关", "text", "the department or court that listed")] + Self.tail
        }
    }

    /// The rows of `record` in this table, in key order, as text values (nil: empty).
    public func rows(of record: PublicRecord) -> [[String?]] {
        let s = record.subject
        func d(_ day: Day?) -> String? { day?.description }
        func tail(_ p: PublicPeriod, _ src: PublicSource) -> [String?] {
            [d(p.from), d(p.until), src.bureau, src.documentNumber, String(src.recordID)]
        }
        switch self {
        case .subjects:
            return [[s.code, s.code, s.name, s.kind.rawValue, s.status.rawValue, s.statusLabel, d(s.statusSince), d(s.establishedOn),
                     s.registrationAuthority, s.region]]
        case .licences:
            return record.licences.map { l in [s.code, l.key, l.number, l.type, d(l.grantedOn), d(l.validUntil)] + tail(l.period, l.source) }
        case .penalties:
            return record.penalties.map { p in
                [s.code, p.key, p.documentNumber, d(p.decidedOn), p.types.joined(separator: ";"), p.fineYuan, p.severity, p.authority]
                    + tail(p.period, p.source)
            }
        case .lists:
            return record.lists.map { e in
                [s.code, e.key, e.list, e.listName, d(e.enteredOn), e.ground, e.authority] + tail(e.period, e.source)
            }
        }
    }
}
