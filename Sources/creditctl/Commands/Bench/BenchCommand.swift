import ArgumentParser

/// `creditctl subject bench …` (hidden): look-up, name search and batch check benchmarks on a
/// generated registry, each beside its baseline in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of look-up, name search and batch check on a generated registry.",
        shouldDisplay: false,
        subcommands: [BenchBuild.self, BenchLookup.self, BenchSearch.self, BenchCheck.self, BenchPublicFacts.self]
    )
}

/// Options every benchmark shares.
struct BenchOptions: ParsableArguments {
    @Option(help: "Registry database file (generated when missing).")
    var db = "/tmp/bench-lookup.db"

    @Option(help: "Subjects to generate when the registry is missing.")
    var subjects = 1_000_000
}
