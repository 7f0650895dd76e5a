import ArgumentParser

/// `creditctl rules …`: check, format, test and evaluate rule files.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check, format, test and evaluate the rule files (one per memorandum).",
        discussion: "Exit status: 0 success; 1 errors, differences or failed tests; 64 usage error.",
        subcommands: [RulesCheck.self, RulesFmt.self, RulesTest.self, RulesList.self, RulesExplain.self, RulesDiff.self,
                      RulesActivate.self, RulesRollback.self, RulesRefresh.self, RulesStatus.self, RulesExplainFacts.self, RulesBench.self,
                      RulesVerify.self]
    )
}
