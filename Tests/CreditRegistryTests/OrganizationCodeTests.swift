import Testing
@testable import CreditRegistry

@Suite struct OrganizationCodeTests {
    @Test(arguments: ["M000100Y-4", "M000100Y4", "m000100y-4", "６０００３７３４－１"])
    func validForms(_ text: String) throws {
        let oc = try OrganizationCode(validating: text)
        #expect(oc.description.count == 10)
        #expect(try OrganizationCode(validating: oc.description) == oc)
    }

    @Test func checkCharacterRules() throws {
        #expect(OrganizationCode.checkCharacter(forBody: "M000100Y") == "4")
        do {
            _ = try OrganizationCode(validating: "M000100Y-5")
            Issue.record("accepted")
        } catch {
            #expect(error.message == "check character is 5 but should be 4 (position 9)")
        }
        #expect(throws: IdentifierError(scheme: .organizationCode, reason: .characterNotAllowed("A", position: 9, expected: .digitOrX))) {
            try OrganizationCode(validating: "M000100YA")
        }
    }

    @Test func tenIsXAndElevenIsZero() throws {
        // Find bodies whose check is X and 0 among generated codes.
        var gen = CodeGenerator(seed: 11)
        var seen = Set<Character>()
        for _ in 0..<2000 { seen.insert(gen.organizationCode().checkCharacter) }
        #expect(seen.contains("X"))
        #expect(seen.contains("0"))
        #expect(seen.count == 11)
    }
}
