import ArgumentParser
import CreditQuery
import CreditRegistry
import CreditOperations
import Decisions

extension SubjectCommand {
    /// `creditctl subject show ID`: identity, identifiers, names and measures in force.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a subject found by USCC, legacy registration number, organisation code or resident ID.",
            discussion: "Full-width, spaced, hyphenated and lower-case input is accepted. Every look-up is audited. Exit 1 when not found."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Any identifier of the subject.")
        var identifier: String

        @Option(help: "Show the subject as of this day (yyyy-MM-dd).")
        var asOf: String?

        @Flag(help: "Show resident ID numbers in full (audited).")
        var unmask = false

        @Option(help: "Who is looking, for the audit log.")
        var actor: String?

        func validate() throws { _ = try DayArgument.optional(asOf) }

        func run() throws {
            let ops = try global.existingOperations(orPostgres: "subject show")
            let options = ReportBuilder.Options(asOf: try DayArgument.optional(asOf), unmask: unmask, actor: actor ?? SubjectCommand.defaultActor)
            guard let r = try ops.report(identifier, options: options) else {
                Terminal.err("creditctl: no subject with identifier \(IdentityMask.forDisplay(identifier))\n")
                throw ExitCode.failure
            }
            switch global.format {
            case .json:
                print(JSON.pretty(r))
            case .csv:
                print("field,value")
                for (k, v) in Self.fields(r) { print(CSV.field(k) + "," + CSV.field(v)) }
            case .table:
                print(TextTable.render(header: ["field", "value"], rows: Self.fields(r).map { [$0.0, $0.1] }))
                if !r.measures.isEmpty {
                    print("")
                    print(TextTable.render(header: ["kind", "measure", "department", "from", "until"], rows: r.measures.map {
                        [$0.kind.rawValue, $0.measure, $0.departmentName, $0.validFrom.description, $0.validUntil?.description ?? "open"]
                    }))
                }
            }
        }

        static func fields(_ r: SubjectReport) -> [(String, String)] {
            var f: [(String, String)] = [
                ("code", r.identity.code), ("name", r.identity.name), ("kind", r.identity.kind.rawValue),
                ("status", "\(r.identity.statusLabel) (\(r.identity.status.rawValue))"),
                ("status_since", r.identity.statusSince?.description ?? ""),
                ("established", r.identity.establishedOn?.description ?? ""),
                ("authority", r.identity.authority ?? ""),
            ]
            f += r.aliases.map { ("alias." + $0.scheme.rawValue, $0.value) }
            f += r.names.filter { !$0.current }.map { ("former_name", $0.name) }
            f += r.keyPersons.filter(\.current).map { ($0.role.rawValue, "\($0.name ?? "") \($0.code)") }
            f += [("lists_in_force", r.listEntries.filter(\.active).map(\.list).joined(separator: ";")),
                  ("measures_in_force", String(r.measures.count)), ("as_of", r.asOf.description)]
            return f
        }
    }
}
