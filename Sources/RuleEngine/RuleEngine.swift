/// The rule language and evaluation of memoranda into decisions.
///
/// Pipeline: ``Lexer`` → ``Parser`` → checker → compiler → ``CompiledRuleSet``; the entry
/// point for files on disk is ``RuleSetLoader``.
public enum RuleEngineInfo {
    /// Version of the rule language described in `docs/rules-language.md`.
    public static let languageVersion = 1
}
