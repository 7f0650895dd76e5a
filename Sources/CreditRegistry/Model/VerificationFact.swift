/// A fact the registry's own records cannot show but a rule depends on: whether tax found due is
/// still unpaid, whether a person was sentenced for a tax crime, whether a court enforced a
/// penalty, … A feed or an officer supplies it; until one does, a measure resting on it is shown
/// "to verify".
public enum VerifiableFact: String, Sendable, Hashable, Codable, CaseIterable {
    /// 欠缴税款、滞纳金未结清又未提供担保（税收征收管理法第四十四条）.
    case taxUnpaid = "tax_unpaid"
    /// 因税收犯罪被判处刑罚；`from` is the day the sentence was fully served (公司法第一百七十八条第一款第二项).
    case taxCrimeSentence = "tax_crime_sentence"
    /// 税务行政处罚经人民法院强制执行.
    case courtEnforced = "court_enforced"
    /// 法定代表人对吊销营业执照、责令关闭负有个人责任（公司法第一百七十八条第一款第四项）.
    case personalResponsibility = "personal_responsibility"
    /// 人民法院的限制消费令仍然有效（最高人民法院关于限制被执行人高消费及有关消费的若干规定）.
    case consumptionRestrictionOrder = "consumption_restriction_order"
    /// 拖欠的农民工工资仍未清偿.
    case wagesUnpaid = "wages_unpaid"

    /// What must be verified, in the words an officer reads.
    public var question: String {
        switch self {
        case .taxUnpaid: "欠缴的税款、滞纳金是否仍未结清且未提供担保"
        case .taxCrimeSentence: "是否因税收犯罪被判处刑罚，刑罚何日执行完毕"
        case .courtEnforced: "税务行政处罚是否经人民法院强制执行"
        case .personalResponsibility: "法定代表人是否对吊销营业执照、责令关闭负有个人责任"
        case .consumptionRestrictionOrder: "人民法院的限制消费令是否仍然有效"
        case .wagesUnpaid: "拖欠的农民工工资是否仍未清偿"
        }
    }
}

/// What a feed or an officer established about a ``VerifiableFact`` for one subject.
///
/// `holds` true: the fact is established from `from` (inclusive) until `until` (exclusive, nil
/// while it lasts). `holds` false: it was checked and does not hold.
public struct VerificationFact: Sendable, Hashable, Codable {
    public var fact: VerifiableFact
    public var holds: Bool
    public var from: Day?
    public var until: Day?
    /// Who established it: a feed's bureau or an officer's account.
    public var source: String
    public var recordID: Int64

    public init(fact: VerifiableFact, holds: Bool, from: Day? = nil, until: Day? = nil, source: String, recordID: Int64 = 0) {
        self.fact = fact; self.holds = holds; self.from = from; self.until = until; self.source = source; self.recordID = recordID
    }
}
