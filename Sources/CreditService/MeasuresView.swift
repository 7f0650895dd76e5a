import CreditQuery
import CreditRegistry
import NIOCore

/// The look-up officers and systems call most: a subject's identity and the measures in force,
/// without the full report.
struct MeasuresView: Encodable {
    struct Measure: Encodable {
        var measure: String
        var text: String
        var kind: String
        var department: String
        var departmentName: String
        var basis: String
        var memorandum: String
        var validFrom: Day
        var validUntil: Day?
        var financial: Bool
        var causedBy: [Int64]
    }
    var code: String
    var name: String
    var kind: String
    var status: String
    var asOf: Day
    var measures: [Measure]
}

extension MeasuresView {
    /// The API view of a look-up result.
    init(_ r: MeasuresLookup.Result) {
        self.init(code: r.code, name: r.name, kind: r.kind.rawValue, status: r.status.rawValue, asOf: r.asOf,
                  measures: r.measures.map {
                      Measure(measure: $0.measure, text: $0.text, kind: $0.kind.rawValue, department: $0.department,
                              departmentName: $0.departmentName, basis: $0.basis, memorandum: $0.memorandum,
                              validFrom: $0.validFrom, validUntil: $0.validUntil, financial: $0.financial, causedBy: $0.causedBy)
                  })
    }

    /// The answer `r` as JSON, as this view encodes (keys sorted, like the service's encoder),
    /// written by hand straight from the result into the response's buffer: this is the
    /// hottest response of the service.
    static func json(_ r: MeasuresLookup.Result) -> ByteBuffer {
        var j = JSONBuffer(capacity: 256 + 512 * r.measures.count)
        j.object { j in
            j.field("asOf") { $0.string(r.asOf.description) }
            j.field("code") { $0.string(r.code) }
            j.field("kind") { $0.string(r.kind.rawValue) }
            j.field("measures") { j in
                j.array { j in
                    for m in r.measures {
                        j.object { j in
                            j.field("basis") { $0.string(m.basis) }
                            j.field("causedBy") { j in j.array { j in m.causedBy.forEach { j.int($0) } } }
                            j.field("department") { $0.string(m.department) }
                            j.field("departmentName") { $0.string(m.departmentName) }
                            j.field("financial") { $0.bool(m.financial) }
                            j.field("kind") { $0.string(m.kind.rawValue) }
                            j.field("measure") { $0.string(m.measure) }
                            j.field("memorandum") { $0.string(m.memorandum) }
                            j.field("text") { $0.string(m.text) }
                            j.field("validFrom") { $0.string(m.validFrom.description) }
                            if let until = m.validUntil { j.field("validUntil") { $0.string(until.description) } }
                        }
                    }
                }
            }
            j.field("name") { $0.string(r.name) }
            j.field("status") { $0.string(r.status.rawValue) }
        }
        return j.buffer
    }
}
