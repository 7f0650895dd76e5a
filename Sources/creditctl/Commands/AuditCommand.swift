import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery

/// `creditctl audit list|verify`: the append-only, hash-chained audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and verify the audit log (every look-up, unmasking and rule activation).",
        subcommands: [AuditList.self, AuditVerify.self]
    )

    /// `creditctl audit list [--subject ID] [--limit N]`
    struct AuditList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the latest audit entries.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only entries about this subject (any identifier).") var subject: String?
        @Option(help: "How many entries, newest last.") var limit: Int = 50

        func run() async throws {
            guard let entries = try global.existingOperations().auditEntries(subject: subject, limit: limit) else {
                Terminal.err("no subject found for '\(subject.map(IdentityMask.forDisplay) ?? "")'\n"); throw ExitCode.failure
            }
            switch global.format {
            case .json: entries.forEach { print(JSON.line($0)) }
            case .csv:
                print("id,at,actor,action,subject,detail,hash")
                entries.forEach { print(["\($0.id)", $0.at, $0.actor, $0.action, $0.subject ?? "", $0.detail, $0.hash].map(CSV.field).joined(separator: ",")) }
            case .table:
                print(TextTable.render(header: ["id", "at", "actor", "action", "subject", "detail"], rows: entries.map {
                    ["\($0.id)", $0.at, $0.actor, $0.action, $0.subject.map { AuditCommand.masked($0) } ?? "", $0.detail]
                }))
            }
        }
    }

    /// `creditctl audit verify`: walks the hash chain; exit 1 when it is broken.
    struct AuditVerify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute every entry's hash and link; exit 1 and name the first broken entry if any."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let v = try global.existingOperations().verifyAudit()
            struct Output: Encodable { var intact: Bool; var entries: Int; var firstBrokenID: Int64?; var reason: String? }
            if global.format == .json {
                print(JSON.line(Output(intact: v.isIntact, entries: v.entries, firstBrokenID: v.firstBrokenID, reason: v.reason)))
            } else if v.isIntact {
                print("audit log intact: \(v.entries) entries, every hash and link verified")
            } else {
                print("audit log BROKEN at entry \(v.firstBrokenID ?? 0): \(v.reason ?? "")")
            }
            if !v.isIntact { throw ExitCode.failure }
        }
    }

    /// Masks an 18-digit resident ID for display.
    static func masked(_ code: String) -> String {
        IdentityMask.looksLikeResidentID(code) ? IdentityMask.residentID(code) : code
    }
}
