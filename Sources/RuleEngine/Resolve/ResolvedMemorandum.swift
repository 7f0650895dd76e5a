import CreditRegistry

/// A memorandum with its required clauses (`title`, `date`) present and typed.
struct ResolvedMemorandum: Sendable, Hashable {
    /// The document number, e.g. 发改财金〔2016〕141号, where it is written.
    var number: Ident
    var title: String
    var date: Day
    var signatories: Int?
    var signedBy: [String]
    var targets: [String]
    var revises: [String]
    var unconfirmed: [String]
    var notes: [String]
}
