// Types: every value against the type of what it is compared with or given for, numbers,
// categories and durations.

extension Checker {
    mutating func checkTypes() {
        for m in symbols.memoranda {
            for n in m.signatories where (n.intValue ?? 0) <= 0 {
                error("check.invalidNumber", n.range, "signatories must be a positive whole number")
            }
        }
        for m in symbols.measures {
            for cat in m.categories where !Vocabulary.categories.contains(cat.name) {
                error("check.unknownValue", cat.range, "unknown category '\(cat.name)'",
                      hint: didYouMean(cat.name, Vocabulary.categories) ?? "one of: \(Vocabulary.categories.joined(separator: ", "))")
            }
        }
        for c in conditions { checkTypes(in: c.condition) }
        for r in symbols.rules {
            if let d = r.duration { checkDuration(d, condition: r.effect?.condition) }
        }
        for d in symbols.derives {
            if let dur = d.duration { checkDuration(dur, condition: d.when) }
        }
    }

    private mutating func checkTypes(in condition: Condition) {
        for node in condition.allNodes {
            switch node {
            case .listed(_, let grounds?, _, _):
                let values: [Value]
                if case .list(let xs, _) = grounds { values = xs } else { values = [grounds] }
                for v in values {
                    switch v {
                    case .number, .string: break
                    default: error("check.typeMismatch", v.range, "a listing ground is a number or a text, not \(Checker.describe(v))")
                    }
                }
            case .penalty(_, let filter, _):
                checkFilter(filter, fields: Vocabulary.penaltyFields)
            case .revokedLicence(_, let filter, _):
                checkFilter(filter, fields: Vocabulary.licenceFields)
            case .compare(let lhs, let op, let opRange, let v, _):
                switch lhs {
                case .field(let f):
                    if let t = Vocabulary.subjectFields[f.name] { checkComparison(t, fieldName: f.name, op: op, opRange: opRange, value: v) }
                case .gradeOf(_, let year):
                    if let y = year.intValue, y >= 1990, y <= 2200 {} else {
                        error("check.invalidNumber", year.range, "'\(year.text)' is not a plausible tax year")
                    }
                    checkComparison(Vocabulary.gradeType, fieldName: "grade", op: op, opRange: opRange, value: v)
                case .aggregate(let fn, let filter, _):
                    checkFilter(filter, fields: Vocabulary.penaltyFields)
                    checkComparison(fn.name == "count" ? .integer("a count") : .amount, fieldName: fn.name, op: op, opRange: opRange, value: v)
                }
            default:
                break
            }
        }
    }

    /// Checks the terms on known fields (unknown ones are reported as names).
    private mutating func checkFilter(_ terms: [FilterTerm], fields: [String: Vocabulary.FieldType]) {
        for t in terms {
            if let type = fields[t.field.name] { checkComparison(type, fieldName: t.field.name, op: t.op, opRange: t.opRange, value: t.value) }
        }
    }

    private mutating func checkComparison(_ type: Vocabulary.FieldType, fieldName: String, op: CompareOp, opRange: SourceRange, value: Value) {
        // Operator against type.
        switch type {
        case .enumeration, .text:
            if ![.eq, .ne, .in].contains(op) {
                error("check.typeMismatch", opRange, "'\(op.rawValue)' cannot compare \(type.noun)", hint: "use =, != or in")
                return
            }
        case .integer, .amount:
            if op == .in {
                error("check.typeMismatch", opRange, "'in' cannot be used with \(type.noun)", hint: "use =, !=, <, <=, > or >=")
                return
            }
        }
        let values: [Value]
        if op == .in {
            guard case .list(let xs, _) = value else {
                error("check.typeMismatch", value.range, "'in' needs a list such as [A, B], not \(Checker.describe(value))")
                return
            }
            if xs.isEmpty { error("check.neverFires", value.range, "'in []' can never hold") }
            values = xs
        } else {
            if case .list = value {
                error("check.typeMismatch", value.range, "'\(op.rawValue)' compares with one value; use 'in' for a list")
                return
            }
            values = [value]
        }
        for v in values {
            switch (type, v) {
            case (.enumeration(let noun, let allowed), .ident(let i)):
                if !allowed.contains(i.name) {
                    error("check.unknownValue", i.range, "'\(i.name)' is not \(noun)",
                          hint: didYouMean(i.name, allowed) ?? "one of: \(allowed.joined(separator: ", "))")
                }
            case (.integer, .number(let n)):
                if n.intValue == nil { error("check.typeMismatch", n.range, "\(fieldName) is a whole number, not '\(n.text)'") }
            case (.amount, .number(let n)):
                if n.micro == nil { error("check.invalidNumber", n.range, "'\(n.text)' is not a valid amount") }
            case (.text, .string):
                break
            default:
                error("check.typeMismatch", v.range, "cannot compare \(type.noun) with \(Checker.describe(v))",
                      hint: Checker.typeHint(type))
            }
        }
    }

    static func typeHint(_ t: Vocabulary.FieldType) -> String {
        switch t {
        case .enumeration(_, let vs): "write one of: \(vs.joined(separator: ", "))"
        case .integer: "write a whole number"
        case .amount: "write an amount in 万元, e.g. 50 or 12.5"
        case .text: "write the text in double quotes"
        }
    }

    // MARK: durations

    private mutating func checkDuration(_ d: DurationClause, condition: Condition?) {
        switch d.spec {
        case .publicity(let bands):
            var seen: Set<String> = []
            for band in bands {
                if !Vocabulary.severities.contains(band.severity.name) {
                    error("check.unknownValue", band.severity.range, "unknown penalty severity '\(band.severity.name)'",
                          hint: didYouMean(band.severity.name, Vocabulary.severities) ?? "one of: \(Vocabulary.severities.joined(separator: ", "))")
                } else if !seen.insert(band.severity.name).inserted {
                    error("check.duplicateClause", band.severity.range, "severity '\(band.severity.name)' is given twice")
                }
                if Checker.approxDays(band.minimum) > Checker.approxDays(band.maximum) {
                    error("check.invalidPeriod", band.minimum.range.union(band.maximum.range), "the minimum \(band.minimum.text) is longer than the maximum \(band.maximum.text)")
                }
            }
            fallthrough
        case .untilRepaired:
            if let c = condition, !Checker.mentionsPenalty(c) {
                error("check.durationNeedsPenalty", d.keyword.range, "this duration is counted from a penalty, but the condition has no 'penalty(…)'",
                      hint: "add 'penalty(…)' to the condition, or use 'for <period>' / 'while held'")
            }
        default: break
        }
    }

    static func approxDays(_ p: PeriodLit) -> Int {
        switch p.unit { case .day: p.amount; case .month: p.amount * 31; case .year: p.amount * 366 }
    }

    static func mentionsPenalty(_ c: Condition) -> Bool {
        switch c {
        case .and(let xs): xs.contains(where: mentionsPenalty)
        case .or(let xs): xs.allSatisfy(mentionsPenalty)
        case .penalty: true
        default: false
        }
    }
}
