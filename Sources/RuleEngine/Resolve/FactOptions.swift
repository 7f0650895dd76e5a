import CreditRegistry

/// The options of one fact line in a test (`from 2020-03-01 record 11`), typed on demand.
///
/// Each accessor returns nil when the option is given with a value that does not resolve (the
/// checker reports it), and records why with the ``Resolver``.
struct FactOptions {
    let line: FactLine

    init(line: FactLine) { self.line = line }

    private func first(_ key: String) -> Value? { line.options.first { $0.key.name == key }?.values.first }

    /// The texts of the option (`type "罚款", "警告"`); empty when absent.
    func texts(_ key: String) -> [String] {
        (line.options.first { $0.key.name == key }?.values ?? []).compactMap { if case .string(let s) = $0 { s.value } else { nil } }
    }

    /// `.some(nil)` when the option is absent.
    func day(_ key: String, _ r: inout Resolver) -> Day?? {
        switch first(key) {
        case nil: return .some(nil)
        case .date(let d)?: return r.day(d).map { .some($0) }
        case let v?: return r.unresolved(v.range, "'\(key)' needs a date")
        }
    }

    /// An option the fact cannot do without (`from` of a listing, `on` of a penalty, …).
    func requiredDay(_ key: String, _ r: inout Resolver) -> Day? {
        switch day(key, &r) {
        case .some(.some(let d)): d
        case .some(nil): r.unresolved(line.head.range, "'\(line.head.name)' needs '\(key)'")
        case nil: nil
        }
    }

    /// The record id; a fact written without `record` has record id 0.
    func record(_ r: inout Resolver) -> Int64? {
        switch first("record") {
        case nil: return 0
        case .number(let n)?: return Int64(n.text) ?? r.invalid("check.invalidNumber", n.range, "'\(n.text)' is not a record id")
        case let v?: return r.unresolved(v.range, "'record' needs a number")
        }
    }

    /// The listing ground (`ground 1`, `ground "2"`); `.some(nil)` when absent.
    func ground(_ r: inout Resolver) -> String?? {
        switch first("ground") {
        case nil: .some(nil)
        case .number(let n)?: .some(n.text)
        case .string(let s)?: .some(s.value)
        case let v?: r.unresolved(v.range, "a listing ground is a number or a text")
        }
    }

    /// The tax year of a grade.
    func year(_ r: inout Resolver) -> Int? {
        switch first("year") {
        case .number(let n)?: n.intValue ?? r.invalid("check.invalidNumber", n.range, "'\(n.text)' is not a year")
        case nil: r.unresolved(line.head.range, "'\(line.head.name)' needs 'year'")
        case let v?: r.unresolved(v.range, "'year' needs a number")
        }
    }

    /// The fine in micro-万元; a penalty written without `fine` has none.
    func fine(_ r: inout Resolver) -> Int64? {
        switch first("fine") {
        case nil: 0
        case .number(let n)?: n.micro ?? r.invalid("check.invalidNumber", n.range, "'\(n.text)' is not a valid amount")
        case let v?: r.unresolved(v.range, "'fine' needs a number")
        }
    }

    /// The penalty's severity; a penalty written without `severity` is `general`.
    func severity(_ r: inout Resolver) -> PenaltySeverity? {
        switch first("severity") {
        case nil: .general
        case .ident(let i)?: PenaltySeverity(rawValue: i.name) ?? r.unresolved(i.range, "'\(i.name)' is not a penalty severity")
        case let v?: r.unresolved(v.range, "'severity' needs a penalty severity")
        }
    }
}
