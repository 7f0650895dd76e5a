import CreditRegistry

/// An in-file test, compiled: example subjects with their facts and the expected measures.
struct CompiledTest: Sendable {
    var name: String
    var range: SourceRange
    var subjects: [(alias: String, facts: SubjectFacts)]
    var expectations: [CompiledExpectation]
}

struct CompiledExpectation: Sendable {
    var alias: String
    var code: String
    var day: Day
    var positive: Bool
    var measures: [String]
    var viaCode: String?
    var from: Day?
    /// nil: not checked; .some(nil): must be open-ended.
    var until: Day??
    var toVerify: Bool?
    var under: String?
    var range: SourceRange
    var text: String
}
