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

    /// ``decisions(for:own:related:asOf:)`` with the organisations the subject serves given by
    /// their contributions (see ``evaluatesThroughContributions``): the same decisions.
    ///
    /// - Parameter contributions: those of the organisations the subject serves (others are
    ///   ignored; a missing one brings nothing).
    public func decisions(for code: String, own: SubjectFacts, contributions: [RelatedContribution], asOf: Day) -> [Decision] {
        var raw: [RawCause] = []
        let serving = contributions.filter { $0.code != own.code }
        var ownEval = Evaluation(program: program, facts: own, asOf: asOf.ordinal, related: .none, contributions: serving)
        raw.append(contentsOf: ownEval.causes().filter { $0.subject == code })
        for c in serving {
            for x in c.extended where x.subject == code { raw.append(x) }
        }
        if raw.isEmpty { return [] }
        return finalize(raw, asOf: asOf)
    }
}
