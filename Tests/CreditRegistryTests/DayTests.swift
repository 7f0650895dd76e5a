import Testing
@testable import CreditRegistry

@Test func dayArithmetic() throws {
    let d = try Day("2020-01-31")
    #expect(d.adding(months: 1).description == "2020-02-29")
    #expect(try Day("19491231").description == "1949-12-31")
    #expect(throws: DayError.self) { try Day("2019-02-29") }
    #expect(d.adding(years: 3) > d)
}
