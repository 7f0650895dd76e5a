import CreditTestSupport
import Foundation
import Testing
@testable import CreditRegistry

@Suite struct CreditCodeTests {
    @Test func standardWorkedExampleIsValid() throws {
        let code = try CreditCode(validating: "91350100M000100Y43")
        #expect(code.description == "91350100M000100Y43")
        #expect(code.authority == .marketRegulation)
        #expect(code.authority.name == "工商")
        #expect(code.category.name == "企业")
        #expect(code.category.pair == "91")
        #expect(code.subjectKind == .enterprise)
        #expect(code.division.description == "350100")
        #expect(code.division.province?.name == "福建")
        #expect(code.organizationCode?.description == "M000100Y-4")
        #expect(code.checkCharacter == "3")
        #expect(!code.hasLegacyChecksum)
        #expect(code.warnings.isEmpty)
        #expect(CreditCode.checkCharacter(for: "91350100M000100Y4") == "3")
    }

    @Test func standardWorkedExampleWithWrongLastCharacterNamesPosition18() {
        #expect(throws: IdentifierError.self) { try CreditCode(validating: "91350100M000100Y4Z") }
        do {
            _ = try CreditCode(validating: "91350100M000100Y4Z")
        } catch {
            #expect(error.position == 18)
            #expect(error.description.contains("position 18"))
            #expect(error.description.contains("'Z'"))
        }
        // A wrong check character from the set: the message says what it should be.
        do {
            _ = try CreditCode(validating: "91350100M000100Y44")
            Issue.record("accepted a wrong check character")
        } catch {
            #expect(error.reason == .wrongCheckCharacter(found: "4", expected: "3", position: 18))
            #expect(error.message == "check character is 4 but should be 3 (position 18)")
        }
    }

    @Test(arguments: [
        "914403001922038216", "9144030071526726XG", "91440300708461136T", "91110000600037341L",
        "12440600MB2C07549J", "91100000100003962T",
    ])
    func knownRealCodesAreValid(_ text: String) throws {
        let code = try CreditCode(validating: text)
        #expect(code.description == text)
        #expect(code.organizationCode != nil)
    }

    @Test func authorityYIsValid() throws {
        // python-stdnum rejects every code whose first eight characters are not all digits.
        let code = try CreditCode(validating: "Y1110000600037341Y")
        #expect(code.authority == .other)
        #expect(code.category.code == "1")
    }

    @Test func authorityNineCategoryNineIsInvalid() {
        do {
            _ = try CreditCode(validating: "99110000600037341U")
            Issue.record("accepted 99")
        } catch {
            #expect(error.reason == .categoryNotAllowed(category: "9", authority: .marketRegulation))
            #expect(error.message.contains("category '9' not allowed under authority '9' (工商: allowed 1,2,3)"))
            #expect(error.position == 2)
        }
    }

    @Test func unknownAuthority() {
        do {
            _ = try CreditCode(validating: "Q1110000600037341L")
            Issue.record("accepted Q")
        } catch {
            #expect(error.reason == .unknownAuthority("Q"))
            #expect(error.message.contains("unknown registration-authority code 'Q'"))
        }
    }

    @Test func wrongLengthSaysGotAndExpected() {
        do {
            _ = try CreditCode(validating: "91350100M000100Y4")
            Issue.record("accepted 17 characters")
        } catch {
            #expect(error.message == "wrong length (got 17, expected 18)")
        }
    }

    @Test func divisionMustBeDigits() {
        do {
            _ = try CreditCode(validating: "9135A100M000100Y43")
            Issue.record("accepted a letter in the division")
        } catch {
            #expect(error.position == 5)
            #expect(error.message.contains("character 'A' at position 5 not allowed (expected a digit)"))
        }
    }

    @Test func organisationCodeCheckIsAnErrorFor91AndAWarningOtherwise() throws {
        // Correct USCC check character, wrong GB 11714 check at position 17.
        do {
            _ = try CreditCode(validating: "91110000M000100Y53")
            Issue.record("accepted a 91 code with a wrong organisation-code check")
        } catch {
            #expect(error.reason == .organizationCodeCheck(found: "5", expected: "4"))
            #expect(error.position == 17)
        }
        let body = "92110000M000100Y5"
        let shop = try CreditCode(validating: body + String(try #require(CreditCode.checkCharacter(for: body))))
        #expect(shop.organizationCode == nil)
        #expect(shop.warnings.map(\.code) == ["identifier.organizationCodeCheck"])
    }

    @Test func legacyChecksumNeedsTheOption() throws {
        #expect(throws: IdentifierError.self) { try CreditCode(validating: "91350203M0001QKT19") }
        let legacy = try CreditCode(validating: "91350203M0001QKT19", options: .acceptLegacyChecksum)
        #expect(legacy.hasLegacyChecksum)
        #expect(legacy.warnings.map(\.code) == ["identifier.legacyChecksum"])
        #expect(legacy.warnings.first?.message.contains("should be F") == true)
        #expect(legacy.organizationCode?.description == "M0001QKT-1")
    }

    @Test func normalisationOfTypedInput() throws {
        let expected = try CreditCode(validating: "91350100M000100Y43")
        for typed in ["９１３５０１００Ｍ０００１００Ｙ４３", "91350100m000100y43", " 9135 0100-M000100Y-43 ",
                      "91350100\u{3000}M000100Y43", "９１３５０１００ｍ０００１００ｙ４３", "\u{FEFF}91350100M000100Y43\r"] {
            #expect(try CreditCode(validating: typed) == expected, "\(typed)")
        }
    }

    @Test func foreignCharacterIsReportedAsTyped() {
        do {
            _ = try CreditCode(validating: "91350100M000100中43")
            Issue.record("accepted a Chinese character")
        } catch {
            #expect(error.message.contains("character '中' at position 16 not allowed"))
        }
    }

    @Test func invalidUTF8CountsAsOneCharacter() {
        var bytes = Array("9135".utf8) + [0xFF] + Array("0100M000100Y4".utf8)
        do {
            _ = try bytes.withUnsafeMutableBufferPointer { p throws(IdentifierError) in
                try CreditCode(validatingUTF8: UnsafeBufferPointer(p))
            }
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.position == 5)
            #expect(error.message.contains("'\u{FFFD}' at position 5"))
        }
    }

    @Test func letterExcludedFromTheSetIsRejected() {
        for bad in ["I", "O", "S", "V", "Z"] {
            #expect(throws: IdentifierError.self) { try CreditCode(validating: "91350100M000100" + bad + "43") }
        }
    }

    @Test func unknownProvinceIsOnlyAWarning() throws {
        let org = try #require(OrganizationCode.checkCharacter(forBody: "MB2C0754"))
        let first17 = "12990100MB2C0754" + String(org)
        let code = try CreditCode(validating: first17 + String(try #require(CreditCode.checkCharacter(for: first17))))
        #expect(code.warnings.map(\.code) == ["identifier.unknownProvince"])
        #expect(code.division.province == nil)
    }

    @Test func codableRoundTrip() throws {
        let code = try CreditCode(validating: "91350100M000100Y43")
        let data = try JSONEncoder().encode([code])
        #expect(String(decoding: data, as: UTF8.self) == #"["91350100M000100Y43"]"#)
        #expect(try JSONDecoder().decode([CreditCode].self, from: data) == [code])
        let legacy = try CreditCode(validating: "91350203M0001QKT19", options: .acceptLegacyChecksum)
        #expect(try JSONDecoder().decode(CreditCode.self, from: JSONEncoder().encode(legacy)) == legacy)
    }

    @Test func tableHasEveryPublishedPair() {
        #expect(RegistrationAuthority.allCases.count == 12)
        let counts = RegistrationAuthority.allCases.map { $0.categories.count }
        #expect(counts == [4, 2, 6, 2, 4, 3, 3, 2, 3, 2, 4, 1])
        #expect(OrganizationCategory.all.count == 36)
        #expect(Set(OrganizationCategory.all.map(\.pair)).count == 36)
    }

    @Test func everySingleSubstitutionIsDetected() async throws {
        try await onOwnThread {
            // MOD 31 with weights coprime to 31 detects every single-character substitution
            // within the 31-symbol set; symbols outside it fail the character check.
            var gen = CodeGenerator(seed: 2024)
            let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            for _ in 0..<40 {
                let code = gen.creditCode()
                let chars = Array(code.description)
                for i in 0..<18 {
                    for c in alphabet where c != chars[i] {
                        var changed = chars
                        changed[i] = c
                        let text = String(changed)
                        #expect(throws: IdentifierError.self, "\(text)") { try CreditCode(validating: text) }
                        // With legacy check characters accepted, the change is still flagged.
                        if let v = try? CreditCode(validating: text, options: .acceptLegacyChecksum) {
                            #expect(v.hasLegacyChecksum, "\(text)")
                        }
                    }
                }
            }
        }
    }
}
