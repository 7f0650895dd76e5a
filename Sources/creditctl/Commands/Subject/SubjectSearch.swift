import ArgumentParser
import CreditOperations
import CreditRegistry
import Decisions
import CreditQuery

extension SubjectCommand {
    /// `creditctl subject search TEXT`: ranked search over current and former names.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search subjects by part of a current or former name.",
            discussion: """
            Ranked: exact, then prefix, then other substrings; current names before former names. \
            Queries of 1–2 characters match exact names and prefixes fully and other substrings only in a sample \
            of names; type three characters for a complete substring search. Exit 1 when nothing matches.
            """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Part of the name.")
        var text: String

        @Option(help: "Most hits to return.")
        var limit = 20

        func validate() throws {
            guard limit > 0 && limit <= 1000 else { throw ValidationError("--limit must be between 1 and 1000") }
        }

        func run() throws {
            let ops = try global.existingOperations(orPostgres: "subject search")
            let hits = try ops.searchNames(text, limit: limit, viewer: Viewer(actor: SubjectCommand.defaultActor, maySeePersonalIDs: false))
            switch global.format {
            case .json:
                print(JSON.pretty(hits))
            case .csv:
                print("code,name,matched_name,former,match,status,measures")
                for h in hits {
                    print([h.code, h.name, h.matchedName, h.former ? "true" : "false", h.match.rawValue, h.status.rawValue,
                           h.hasMeasures ? "true" : "false"].map(CSV.field).joined(separator: ","))
                }
            case .table:
                print(TextTable.render(header: ["code", "name", "matched", "match", "status", "measures"], rows: hits.map {
                    [$0.code, $0.name, $0.former ? "\($0.matchedName) (former)" : "", $0.match.rawValue, $0.status.chinese,
                     $0.hasMeasures ? "yes" : ""]
                }))
            }
            if hits.isEmpty { throw ExitCode.failure }
        }
    }
}
