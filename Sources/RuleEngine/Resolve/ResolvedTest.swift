import CreditRegistry

/// An in-file test with its subjects' facts typed and its expectations resolved to subject codes.
struct ResolvedTest: Sendable {
    var name: Ident
    /// The subjects in written order, by short name.
    var subjects: [(alias: String, facts: SubjectFacts)]
    var expectations: [CompiledExpectation]
}
