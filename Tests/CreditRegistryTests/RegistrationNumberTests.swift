import Testing
@testable import CreditRegistry

@Suite struct RegistrationNumberTests {
    @Test(arguments: ["110108000000016", "440300000123455", "100000000000014"])
    func valid(_ text: String) throws {
        let rn = try RegistrationNumber(validating: text)
        #expect(rn.description == text)
        #expect(rn.division.description == String(text.prefix(6)))
    }

    @Test func decodesAuthorityDivision() throws {
        let rn = try RegistrationNumber(validating: "440300000123455")
        #expect(rn.division.province?.name == "广东")
        #expect(rn.sequence == "00012345")
        #expect(try RegistrationNumber(validating: "100000000000014").division.isNational)
    }

    @Test func wrongCheckDigit() {
        do {
            _ = try RegistrationNumber(validating: "110108000000017")
            Issue.record("accepted")
        } catch {
            #expect(error.message == "check character is 7 but should be 6 (position 15)")
        }
    }

    @Test func everySingleDigitChangeIsDetected() throws {
        var gen = CodeGenerator(seed: 5)
        for _ in 0..<200 {
            let chars = Array(gen.registrationNumber().description)
            for i in 0..<15 {
                for d in "0123456789" where d != chars[i] {
                    var c = chars
                    c[i] = d
                    #expect(!RegistrationNumber.isValid(String(c)))
                }
            }
        }
    }
}
