/// What kind of person a subject is (DESIGN.md §4).
public enum SubjectKind: String, Sendable, Codable, CaseIterable {
    case enterprise
    case individualBusiness = "individual_business"
    case farmersCooperative = "farmers_cooperative"
    case socialOrganisation = "social_organisation"
    case publicInstitution = "public_institution"
    case governmentOrgan = "government_organ"
    case other
    case naturalPerson = "natural_person"

    /// True for everything but natural persons.
    public var isOrganisation: Bool { self != .naturalPerson }
}

/// Registration status of a subject.
public enum SubjectStatus: String, Sendable, Codable, CaseIterable {
    /// 存续 / 在业
    case active
    /// 吊销 (licence revoked)
    case revoked
    /// 注销 (deregistered)
    case deregistered
    /// 迁出 (moved away)
    case movedOut = "moved_out"
    /// 停业 (suspended)
    case suspended

    /// The Chinese label used in reports and feeds.
    public var chinese: String {
        switch self {
        case .active: "存续"
        case .revoked: "吊销"
        case .deregistered: "注销"
        case .movedOut: "迁出"
        case .suspended: "停业"
        }
    }
}

/// The role one subject holds towards another (DESIGN.md §4 "Relation").
public enum RelationRole: String, Sendable, Codable, CaseIterable {
    case legalRepresentative = "legal_representative"
    case principalResponsible = "principal_responsible"
    case actualController = "actual_controller"
    case director
    case supervisor
    case manager
    case financeChief = "finance_chief"
    case shareholder
    /// A person directly responsible for the act (e.g. named in a tax-violation case).
    case directlyResponsible = "directly_responsible"
}

/// Severity class of a published penalty under the 2025 credit-repair rules (DOMAIN.md §4.6).
public enum PenaltySeverity: String, Sendable, Codable, CaseIterable {
    case minor, general, serious
}

/// Taxpayer credit grades (DOMAIN.md §4.5).
public enum TaxGrade: String, Sendable, Codable, CaseIterable {
    case A, B, M, C, D
}

/// The lists the feeds report on, by stable id. Rule files name lists by these ids.
public enum KnownList {
    public static let abnormalOperations = "abnormal_operations"
    public static let seriousViolation = "serious_violation"
    public static let dishonestDebtor = "dishonest_debtor"
    public static let majorTaxViolation = "major_tax_violation"
    public static let foodDrugSeriousDishonest = "food_drug_serious_dishonest"

    // Lists kept by national authorities, received through the national exchange (or a list file).
    /// 拖欠农民工工资失信联合惩戒对象名单 (人力资源社会保障部门).
    public static let wageArrears = "wage_arrears"
    /// 安全生产严重失信主体名单 (应急管理部门).
    public static let safetyProduction = "safety_production"
    /// 环境保护领域严重失信主体 (生态环境部门).
    public static let environmental = "environmental"
    /// 海关失信企业.
    public static let customsDishonest = "customs_dishonest"
    /// 海关高级认证企业 (AEO): an incentive list.
    public static let customsAEO = "customs_aeo"
    /// 政府采购严重违法失信行为记录名单 (财政部门).
    public static let procurementDishonest = "procurement_dishonest"
    /// 统计严重失信企业 (统计部门).
    public static let statisticsDishonest = "statistics_dishonest"
    /// 铁路领域严重失信人 (限制乘坐火车).
    public static let railwayDishonest = "railway_dishonest"
    /// 民航领域严重失信人 (限制乘坐民用航空器).
    public static let civilAviationDishonest = "civil_aviation_dishonest"

    /// The lists a national list file or exchange page may carry, by id.
    public static let national: [String] = [
        dishonestDebtor, wageArrears, safetyProduction, environmental, customsDishonest, customsAEO,
        procurementDishonest, statisticsDishonest, railwayDishonest, civilAviationDishonest,
    ]

    /// Every list some feed or list file reports on: rule files may only name these.
    public static let all: Set<String> = Set([abnormalOperations, seriousViolation, majorTaxViolation,
                                             foodDrugSeriousDishonest] + national)
}
