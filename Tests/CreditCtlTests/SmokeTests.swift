import Testing
import CreditRegistry

@Test func smoke() throws { #expect(try Day("2024-01-01").year == 2024) }
