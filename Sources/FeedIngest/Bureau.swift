import CreditRegistry
/// A bureau that sends feeds, identified by the namespace of its feed's root element.
///
/// ```swift
/// Bureau(namespace: "urn:credit-engine:feed:tax:1")   // .tax
/// Bureau.food.namespace                              // "urn:credit-engine:feed:food:1"
/// ```
public enum Bureau: String, Sendable, Codable, CaseIterable {
    /// Market regulation (市场监督管理): registrations, licences, penalties, abnormal and serious lists.
    case commerce
    /// Tax (税务): credit grades and major tax-violation cases.
    case tax
    /// Food safety (食品安全): food licences, penalties, seriously dishonest producers and traders.
    case food

    /// The namespace of version 1 of this bureau's feed format.
    public var namespace: String { "urn:credit-engine:feed:\(rawValue):1" }

    /// The schema file, in the bundled `Schemas` directory, of version 1 of this bureau's format.
    public var schemaFileName: String { "\(rawValue)-v1.xsd" }

    /// The bureau whose feed format has this root namespace, or nil.
    public init?(namespace: String) {
        guard let b = Bureau.allCases.first(where: { $0.namespace == namespace }) else { return nil }
        self = b
    }
}
