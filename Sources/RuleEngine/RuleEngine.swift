/// The rule language and evaluation of memoranda into decisions.
public enum RuleEngineInfo { public static let languageVersion = 1 }
