import Testing
@testable import RuleEngine

@Test func languageVersion() { #expect(RuleEngineInfo.languageVersion == 1) }
