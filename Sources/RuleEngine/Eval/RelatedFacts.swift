import CreditRegistry

/// The facts of the subjects related to the one evaluated, found by code. A subject has a few
/// related subjects, so a scan of the caller's array costs less than a map built for every
/// subject. The first subject with a code wins (`lead`, then `others` in order), and the code
/// `excluding` (the subject evaluated) is never found.
struct RelatedFacts {
    var lead: SubjectFacts?
    var others: [SubjectFacts]
    var excluding: String?

    static let none = RelatedFacts(lead: nil, others: [], excluding: nil)

    var isEmpty: Bool { lead == nil && others.isEmpty }

    subscript(code: String) -> SubjectFacts? {
        if code == excluding { return nil }
        if let l = lead, l.code == code { return l }
        for o in others where o.code == code { return o }
        return nil
    }
}
