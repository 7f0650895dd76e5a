import CreditRegistry

// Resolution of in-file tests: each subject's fact lines become CreditRegistry facts.

extension Resolver {
    /// A penalty written without `authority` has none, as a feed record without the field.
    private static let noAuthority = ""

    mutating func test(_ t: TestClauses) -> ResolvedTest? {
        var subjects: [(alias: String, facts: SubjectFacts)] = []
        var index: [String: Int] = [:]
        var declared: [SubjectDecl] = []
        for s in t.subjects where index[s.alias.name] == nil {
            guard let kind = SubjectKind(rawValue: s.kind.name) else { return unresolved(s.kind.range, "'\(s.kind.name)' is not a subject kind") }
            index[s.alias.name] = subjects.count
            declared.append(s)
            // A subject without a name is shown by its short name.
            let name = s.name.map(\.value) ?? s.alias.name
            subjects.append((s.alias.name, SubjectFacts(code: s.code.value, kind: kind, name: name)))
        }
        for (i, s) in declared.enumerated() {
            for f in s.facts {
                guard add(f, to: i, of: &subjects, index: index) else { return nil }
            }
        }
        var expectations: [CompiledExpectation] = []
        for x in t.expectations {
            let e = x.expectation
            guard let si = index[e.subject.name] else { return unresolved(e.subject.range, "unknown subject '\(e.subject.name)' in this test") }
            guard let on = day(e.day) else { return nil }
            var via: String?
            if let v = e.via {
                guard let vi = index[v.name] else { return unresolved(v.range, "unknown subject '\(v.name)' in this test") }
                via = subjects[vi].facts.code
            }
            var from: Day?
            if let f = e.from {
                guard let d = day(f) else { return nil }
                from = d
            }
            var until: Day??
            switch e.until {
            case .date(let d)?:
                guard let u = day(d) else { return nil }
                until = .some(u)
            case .ident(let open)? where open.name == "open": until = .some(nil)
            case nil: until = nil
            case let other?: return unresolved(other.range, "expected a date or 'open'")
            }
            expectations.append(CompiledExpectation(alias: e.subject.name, code: subjects[si].facts.code, day: on, positive: e.positive,
                                                    measures: e.measures.map(\.name), viaCode: via, from: from, until: until,
                                                    toVerify: e.toVerify, under: e.under?.value, range: x.range, text: x.text))
        }
        return ResolvedTest(name: t.name, subjects: subjects, expectations: expectations)
    }

    /// Adds one fact line to subject `i` (a role also to the other subject); false when it does not resolve.
    private mutating func add(_ f: FactLine, to i: Int, of subjects: inout [(alias: String, facts: SubjectFacts)], index: [String: Int]) -> Bool {
        let o = FactOptions(line: f)
        switch (f.head.name, f.argument) {
        case ("listed", .ident(let l)):
            guard let record = o.record(&self), let from = o.requiredDay("from", &self), let until = o.day("until", &self), let ground = o.ground(&self) else { return false }
            subjects[i].facts.listEntries.append(ListEntryFact(list: l.name, enteredOn: from, exitedOn: until, ground: ground, recordIDs: [record]))
        case ("grade", .ident(let g)):
            guard let record = o.record(&self), let grade = TaxGrade(rawValue: g.name) ?? unresolved(g.range, "'\(g.name)' is not a tax grade"),
                  let year = o.year(&self), let published = o.requiredDay("published", &self) else { return false }
            subjects[i].facts.taxGrades.append(TaxGradeFact(year: year, grade: grade, publishedOn: published, recordID: record))
        case ("penalty", .string(let doc)):
            guard let record = o.record(&self), let on = o.requiredDay("on", &self), let fine = o.fine(&self), let severity = o.severity(&self),
                  let until = o.day("until", &self), let repaired = o.day("repaired", &self), let revoked = o.day("revoked", &self) else { return false }
            subjects[i].facts.penalties.append(PenaltyFact(documentNumber: doc.value, decidedOn: on, types: o.texts("type"), fineMicroWan: fine,
                                                           severity: severity, authority: o.texts("authority").first ?? Resolver.noAuthority,
                                                           publicityEnd: until, repairedOn: repaired, revokedOn: revoked, recordID: record))
        case ("licence", .string(let number)):
            guard let record = o.record(&self), let type = o.texts("type").first ?? unresolved(f.head.range, "'licence' needs 'type'"),
                  let from = o.requiredDay("from", &self), let until = o.day("until", &self), let revoked = o.day("revoked", &self) else { return false }
            subjects[i].facts.licences.append(LicenceFact(number: number.value, type: type, grantedOn: from, validUntil: until,
                                                          revokedOn: revoked, recordID: record))
        case ("status", .ident(let s)):
            guard let status = SubjectStatus(rawValue: s.name) ?? unresolved(s.range, "'\(s.name)' is not a status"),
                  let since = o.day("since", &self) else { return false }
            subjects[i].facts.status = status
            subjects[i].facts.statusSince = since
        case ("verified", .ident(let fact)), ("denied", .ident(let fact)):
            guard let record = o.record(&self),
                  let known = VerifiableFact(rawValue: fact.name) ?? unresolved(fact.range, "'\(fact.name)' is not a fact to verify"),
                  let from = o.day("from", &self), let until = o.day("until", &self) else { return false }
            subjects[i].facts.verifications.append(VerificationFact(fact: known, holds: f.head.name == "verified", from: from, until: until,
                                                                    source: "test", recordID: record))
        case (let head, .ident(let other)):
            guard let record = o.record(&self), let role = RelationRole(rawValue: head) ?? unresolved(f.head.range, "unknown fact '\(head)'"),
                  let j = index[other.name] ?? unresolved(other.range, "unknown subject '\(other.name)' in this test"),
                  let from = o.requiredDay("from", &self), let until = o.day("until", &self) else { return false }
            let rel = RelationFact(role: role, from: subjects[i].facts.code, to: subjects[j].facts.code, validFrom: from, validTo: until, recordID: record)
            subjects[i].facts.keyPersons.append(rel)
            subjects[j].facts.roles.append(rel)
        default:
            let _: Bool? = unresolved(f.argument.range, "unexpected value after '\(f.head.name)'")
            return false
        }
        return true
    }
}
