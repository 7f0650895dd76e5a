import Foundation
import Testing
@testable import CreditRegistry

@Suite struct SubjectCodeTests {
    @Test func keys() throws {
        #expect(try SubjectCode.parse("91350100M000100Y43").key == "91350100M000100Y43")
        #expect(try SubjectCode.parse("110105491231002").key == "11010519491231002X")
        #expect(try SubjectCode.parse("362322198709086409").scheme == .residentID)
        guard case .creditCode(let c) = try SubjectCode.parse("914403001922038216") else {
            Issue.record("not a credit code"); return
        }
        #expect(c.category.name == "企业")
    }

    @Test func errorsComeFromTheMostPlausibleReading() {
        #expect(throws: IdentifierError(scheme: nil, reason: .wrongLength(got: 9, expected: [18, 15]))) {
            try SubjectCode.parse("M000100Y4")
        }
        do {
            _ = try SubjectCode.parse("91350100M000100Y44")
        } catch {
            #expect(error.scheme == .uscc)
            #expect(error.position == 18)
        }
    }

    @Test func legacyOptionIsPassedOn() throws {
        #expect(throws: IdentifierError.self) { try SubjectCode.parse("91350203M0001QKT19") }
        #expect(try SubjectCode.parse("91350203M0001QKT19", options: .acceptLegacyChecksum).key == "91350203M0001QKT19")
    }

    @Test func codable() throws {
        let codes = [try SubjectCode.parse("91350100M000100Y43"), try SubjectCode.parse("11010519491231002X")]
        let data = try JSONEncoder().encode(codes)
        #expect(try JSONDecoder().decode([SubjectCode].self, from: data) == codes)
    }
}
