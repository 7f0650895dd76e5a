import Testing
@testable import CreditRegistry

@Suite struct IdentifierDetectorTests {
    @Test func residentIDThatLooksLikeACreditCode() {
        // hutool#1367: an ID number that some validators accept as a USCC.
        let c = IdentifierDetector.detect("362322198709086409")
        #expect(c.map(\.scheme) == [.residentID, .uscc])
        #expect(c.map(\.isValid) == [true, false])
        #expect(c[1].error?.reason == .categoryNotAllowed(category: "6", authority: .justice))
    }

    @Test func eighteenCharactersWithLettersAreOnlyAUSCC() {
        let c = IdentifierDetector.detect("91350100M000100Y43")
        #expect(c.map(\.scheme) == [.uscc])
        #expect(c.first?.isValid == true)
    }

    @Test func fifteenDigitsAreBothReadings() {
        // A legacy resident ID that fails the registration-number check digit.
        let c = IdentifierDetector.detect("110105491231003")
        #expect(c.map(\.scheme) == [.residentID15, .registrationNumber])
        #expect(c.map(\.isValid) == [true, false])
        #expect(c.first?.identifier?.description == "110105194912310038")
        // Valid in both readings: the one with a check digit comes first.
        let both = IdentifierDetector.detect("110105491231002")
        #expect(both.map(\.scheme) == [.registrationNumber, .residentID15])
        #expect(both.allSatisfy { $0.isValid })
        let reg = IdentifierDetector.detect("110108000000016")
        #expect(reg.first?.scheme == .registrationNumber)
        #expect(reg.first?.isValid == true)
    }

    @Test func nineCharactersAreAnOrganisationCode() {
        let c = IdentifierDetector.detect("M000100Y-4")
        #expect(c.map(\.scheme) == [.organizationCode])
        #expect(c.first?.isValid == true)
    }

    @Test func otherLengthsFailWithTheNearestScheme() {
        let c = IdentifierDetector.detect("91350100M000100Y4")
        #expect(c.first?.scheme == .uscc)
        #expect(c.first?.error?.reason == .wrongLength(got: 17, expected: [18]))
        #expect(IdentifierDetector.detect("  - ").isEmpty)
    }

    @Test func fullWidthInputIsNormalised() {
        let c = IdentifierDetector.detect("１１０１０５１９４９１２３１００２ｘ")
        #expect(c.first?.scheme == .residentID)
        #expect(c.first?.isValid == true)
    }

    @Test func invalidEighteenDigitsRankTheFurthestReadingFirst() {
        // Valid resident-ID shape and date, wrong check digit; as a USCC the pair 11 is fine
        // but the check character is wrong too: both fail at the check stage, ID first.
        let c = IdentifierDetector.detect("110105194912310021")
        #expect(c.allSatisfy { !$0.isValid })
        #expect(c.first?.scheme == .residentID)
    }
}
