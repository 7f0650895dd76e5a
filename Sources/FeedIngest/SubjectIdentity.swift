import CreditRegistry

/// The identity a record carries of the subject it is about: enough to introduce the subject
/// when the registry does not know it yet (see ``Registry/introduce(code:kind:name:source:recordID:in:)``).
package struct SubjectIdentity: Sendable, Hashable {
    package var code: String
    package var kind: SubjectKind
    package var name: String
    package var source: IdentitySource

    /// The identity of `code` (a registry key: a resident ID or a USCC), its kind read from the
    /// code: a natural person for a resident ID, the USCC's category for an organisation.
    init(code: String, name: String, source: IdentitySource) {
        self.code = code; self.name = name; self.source = source
        kind = Self.kind(of: code)
    }

    package static func kind(of code: String) -> SubjectKind {
        if ResidentLike.looksPersonal(code) { return .naturalPerson }
        if let c = try? CreditCode(validating: code, options: [.acceptLegacyChecksum]) { return c.subjectKind }
        return .other
    }
}
