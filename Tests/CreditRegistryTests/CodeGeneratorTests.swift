import Testing
@testable import CreditRegistry

/// Property tests over generated identifiers.
@Suite struct CodeGeneratorTests {
    @Test func sameSeedSameCodes() {
        var a = CodeGenerator(seed: 99), b = CodeGenerator(seed: 99), c = CodeGenerator(seed: 100)
        let x = (0..<50).map { _ in a.creditCode().description + a.residentID().description }
        let y = (0..<50).map { _ in b.creditCode().description + b.residentID().description }
        let z = (0..<50).map { _ in c.creditCode().description + c.residentID().description }
        #expect(x == y)
        #expect(x != z)
    }

    @Test(arguments: OrganizationCategory.all)
    func everyPairRoundTrips(_ category: OrganizationCategory) throws {
        var gen = CodeGenerator(seed: UInt64(category.pair.hashValue & 0xFFFF))
        for _ in 0..<300 {
            let code = gen.creditCode(category: category)
            let parsed = try CreditCode(validating: code.description)
            #expect(parsed == code)
            #expect(parsed.category == category)
            #expect(parsed.organizationCode != nil)
            #expect(!parsed.hasLegacyChecksum)
            #expect(parsed.warnings.isEmpty, "\(code)")
        }
    }

    @Test func residentIDsRoundTrip() throws {
        var gen = CodeGenerator(seed: 3)
        for _ in 0..<5000 {
            let id = gen.residentID()
            #expect(try ResidentID(validating: id.description) == id)
            #expect(id.warnings.isEmpty)
        }
        for _ in 0..<2000 {
            let legacy = gen.legacyResidentID()
            let id = try ResidentID(validating: legacy)
            #expect(id.legacyForm == legacy)
            #expect(try ResidentID(validating: id.description) == id)
        }
        let born = try Day("1990-05-05")...Day("1990-05-05")
        let women = (0..<20).map { _ in gen.residentID(born: born, sex: .female) }
        #expect(women.allSatisfy { $0.sex == .female && $0.birthDate == born.lowerBound })
    }

    @Test func registrationNumbersAndOrganisationCodesRoundTrip() throws {
        var gen = CodeGenerator(seed: 4)
        for _ in 0..<5000 {
            let rn = gen.registrationNumber()
            #expect(try RegistrationNumber(validating: rn.description) == rn)
            let oc = gen.organizationCode()
            #expect(try OrganizationCode(validating: oc.description) == oc)
            #expect(try OrganizationCode(validating: oc.compact) == oc)
        }
    }

    @Test func everySingleResidentIDSubstitutionIsDetected() {
        var gen = CodeGenerator(seed: 8)
        for _ in 0..<300 {
            let chars = Array(gen.residentID().description)
            for i in 0..<18 {
                for d in "0123456789X" where d != chars[i] {
                    var c = chars
                    c[i] = d
                    #expect(!ResidentID.isValid(String(c)), "\(String(c))")
                }
            }
        }
    }

    @Test func organisationCodeSubstitutionsAreDetectedUnlessTheValuesDifferBy11() {
        // GB 11714 works mod 11 over base-36 values: a body substitution whose values differ by
        // 11 or 22 (e.g. 0↔B↔M, 1↔C↔N) is invisible to it. Everything else is detected.
        var gen = CodeGenerator(seed: 9)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        func value(_ c: Character) -> Int { Int(String(c), radix: 36) ?? -1 }
        var undetected = 0
        for _ in 0..<200 {
            let chars = Array(gen.organizationCode().compact)
            for i in 0..<9 {
                for d in alphabet where d != chars[i] {
                    var c = chars
                    c[i] = d
                    let blind = i < 8 && (value(d) - value(chars[i])) % 11 == 0
                    #expect(OrganizationCode.isValid(String(c)) == blind, "\(String(c))")
                    if blind { undetected += 1 }
                }
            }
        }
        #expect(undetected > 0)
    }

    @Test func corruptionAlwaysChangesTheText() {
        var gen = CodeGenerator(seed: 10)
        for _ in 0..<2000 {
            let text = gen.creditCode().description
            #expect(gen.corrupt(text) != text)
        }
    }
}
