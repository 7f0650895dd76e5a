import Foundation
import Testing
@testable import CreditRegistry

@Suite struct ResidentIDTests {
    @Test func standardExample() throws {
        let id = try ResidentID(validating: "11010519491231002X")
        #expect(id.birthDate == Day(year: 1949, month: 12, day: 31))
        #expect(id.sex == .female)
        #expect(id.sequence == 2)
        #expect(id.division.description == "110105")
        #expect(id.division.province?.name == "北京")
        #expect(id.checkCharacter == "X")
        #expect(id.masked == "110105********002X")
        #expect(id.legacyForm == nil)
        #expect(ResidentID.checkCharacter(for: "11010519491231002") == "X")
        #expect(try ResidentID(validating: "11010519491231002x") == id)
    }

    @Test func fifteenDigitFormIsConverted() throws {
        let id = try ResidentID(validating: "110105491231002")
        #expect(id.description == "11010519491231002X")
        #expect(id.isConvertedFromLegacyForm)
        #expect(id.legacyForm == "110105491231002")
        #expect(id == (try ResidentID(validating: "11010519491231002X")))
        #expect(id.birthDate.description == "1949-12-31")
    }

    @Test func maleFromOddSequence() throws {
        let body = "34052419800101001"
        let id = try ResidentID(validating: body + String(try #require(ResidentID.checkCharacter(for: body))))
        #expect(id.checkCharacter == "X")
        #expect(id.sex == .male)
    }

    @Test func wrongCheckCharacter() {
        do {
            _ = try ResidentID(validating: "110105194912310021")
            Issue.record("accepted")
        } catch {
            #expect(error.message == "check character is 1 but should be X (position 18)")
        }
    }

    @Test func birthDateNotADate() {
        do {
            _ = try ResidentID(validating: "110105194913320021")
            Issue.record("accepted")
        } catch {
            #expect(error.reason == .birthDateNotADate("19491332"))
            #expect(error.message == "birth date 19491332 not a date")
        }
    }

    @Test func birthDateInTheFuture() throws {
        let today = try Day("2020-06-01")
        let body = "11010520200602001"
        let text = body + String(try #require(ResidentID.checkCharacter(for: body)))
        #expect(throws: IdentifierError(scheme: .residentID, reason: .birthDateInFuture(try Day("2020-06-02")))) {
            try ResidentID(validating: text, today: today)
        }
        #expect(try ResidentID(validating: text, today: try Day("2020-06-02")).birthDate == Day("2020-06-02"))
    }

    @Test func wrongLengthAndCharacters() {
        #expect(throws: IdentifierError(scheme: .residentID, reason: .wrongLength(got: 17, expected: [18, 15]))) {
            try ResidentID(validating: "11010519491231002")
        }
        do {
            _ = try ResidentID(validating: "1101051949123100X2")
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("character 'X' at position 17 not allowed (expected a digit)"))
        }
    }

    @Test func standardTextExampleFrom1880WarnsOnly() throws {
        let id = try ResidentID(validating: "440524188001010014")
        #expect(id.warnings.map(\.code) == ["identifier.birthYearBefore1900"])
    }

    @Test func descriptionNeverInErrors() {
        do {
            _ = try ResidentID(validating: "110105194912310021")
        } catch {
            #expect(!error.description.contains("110105194912310021"))
        }
    }
}
