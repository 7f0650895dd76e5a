import CreditRegistry

/// What an organisation brings to the evaluation of a subject that serves it, computed once
/// from the organisation's own facts instead of re-evaluating them for every person: the
/// witnesses of each `holds` condition's inner condition, and the causes its rules extend to
/// its key persons.
///
/// It stands for the organisation's facts only when no rule reads a subject's own key persons'
/// facts (``CompiledRuleSet/readsKeyPersonsFacts`` false): then an organisation's evaluation,
/// on its own behalf or on a person's, does not depend on anything read for the person.
///
/// ```swift
/// let c = rules.contribution(of: organisation, asOf: day)        // nil: it brings nothing
/// let ds = rules.decisions(for: person.code, own: person, contributions: c.map { [$0] } ?? [], asOf: day)
/// ```
public struct RelatedContribution: Sendable {
    /// The organisation's code.
    public let code: String
    /// By ``Program/holdsSlots``: the inner condition's witnesses on the organisation's facts
    /// (empty when none has any).
    let holds: [[Witness]]
    /// Causes for the persons the organisation's measures extend to (each with its `via`).
    let extended: [RawCause]
}

extension CompiledRuleSet {
    /// True when ``contribution(of:asOf:)`` can stand for the facts of the organisations a
    /// subject serves: the rules read related subjects, but no subject's own key persons'.
    public var evaluatesThroughContributions: Bool { readsRelatedFacts && !readsKeyPersonsFacts }

    /// The kinds of an organisation's facts ``contribution(of:asOf:)`` reads: facts of other
    /// kinds may be left out of what it is given (its key persons are always read).
    public var contributionReads: Set<FactPresence.Kind> { program.contributionReads }

    /// What the subject brings, as an organisation, to the evaluation of each subject serving
    /// it on `asOf`; nil when it brings nothing (no key persons, or no witness and no cause
    /// for them), which evaluates as if its facts were not read.
    public func contribution(of facts: SubjectFacts, asOf: Day) -> RelatedContribution? {
        guard !facts.keyPersons.isEmpty else { return nil }
        var e = Evaluation(program: program, facts: facts, asOf: asOf.ordinal, related: .none)
        var holds: [[Witness]] = []
        if !program.holdsInners.isEmpty {
            holds = program.holdsInners.map { e.witnesses($0) }
            if holds.allSatisfy(\.isEmpty) { holds = [] }
        }
        let extended = e.causes(extendingOnly: true).filter { $0.via != nil }
        if holds.isEmpty && extended.isEmpty { return nil }
        return RelatedContribution(code: facts.code, holds: holds, extended: extended)
    }

    /// False when the subject has no contribution whatever its key persons: `facts` may lack
    /// them (a reader then reads the key persons only of the few subjects for which it is true).
    public func mayContribute(_ facts: SubjectFacts, asOf: Day) -> Bool {
        var e = Evaluation(program: program, facts: facts, asOf: asOf.ordinal, related: .none)
        for c in program.holdsInners where !e.witnesses(c).isEmpty { return true }
        return e.firesExtending()
    }

    /// ``decisions(for:own:related:asOf:)`` with the organisations the subject serves given by
    /// their contributions (see ``evaluatesThroughContributions``): the same decisions. The
    /// subject's own key persons are not read (`own` may lack them): what its measures extend
    /// to itself, when it is its own key person, comes with its own contribution.
    ///
    /// - Parameter contributions: those of the organisations the subject serves, its own among
    ///   them when it serves itself (others are ignored; a missing one brings nothing).
    public func decisions(for code: String, own: SubjectFacts, contributions: [RelatedContribution], asOf: Day) -> [Decision] {
        var raw: [RawCause] = []
        let serving = contributions.filter { $0.code != own.code }
        var ownEval = Evaluation(program: program, facts: own, asOf: asOf.ordinal, related: .none, contributions: serving)
        // Causes extended to the subject itself through its own key persons may come twice (from
        // `own` and from its contribution): merging decisions keeps one of each.
        raw.append(contentsOf: ownEval.causes().filter { $0.subject == code })
        for c in contributions {
            for x in c.extended where x.subject == code { raw.append(x) }
        }
        if raw.isEmpty { return [] }
        return finalize(raw, asOf: asOf)
    }
}
