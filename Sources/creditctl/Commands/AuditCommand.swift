import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery

/// `creditctl audit list|verify`: the append-only, keyed and checkpointed audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and verify the audit log (every look-up, unmasking and rule activation).",
        discussion: """
        The log lives beside the registry: credit.db → credit.audit.db (entries), credit.audit.key \
        (the key, mode 0600; --audit-key or CREDIT_AUDIT_KEY to keep it elsewhere) and \
        credit.audit.checkpoints (signed checkpoints). See docs/audit.md.
        """,
        subcommands: [AuditList.self, AuditVerify.self]
    )

    /// `creditctl audit list [--subject ID] [--limit N]`
    struct AuditList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the latest audit entries.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only entries about this subject (any identifier).") var subject: String?
        @Option(help: "How many entries, newest last.") var limit: Int = 50

        func run() async throws {
            guard let entries = try global.existingOperations(orPostgres: "audit list").auditEntries(subject: subject, limit: limit) else {
                Terminal.err("no subject found for '\(subject.map(IdentityMask.forDisplay) ?? "")'\n"); throw ExitCode.failure
            }
            switch global.format {
            case .json: entries.forEach { print(JSON.line($0)) }
            case .csv:
                print("id,at,actor,action,subject,detail,mac")
                entries.forEach { print(["\($0.id)", $0.at, $0.actor, $0.action, $0.subject ?? "", $0.detail, $0.mac].map(CSV.field).joined(separator: ",")) }
            case .table:
                print(TextTable.render(header: ["id", "at", "actor", "action", "subject", "detail"], rows: entries.map {
                    ["\($0.id)", $0.at, $0.actor, $0.action, $0.subject.map { AuditCommand.masked($0) } ?? "", $0.detail]
                }))
            }
        }
    }

    /// `creditctl audit verify`: checks every entry and checkpoint; exit 1 when anything is wrong.
    struct AuditVerify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check every entry's MAC and link and every checkpoint; exit 1 and say what is wrong if anything is.",
            discussion: """
            Reports each problem: the first altered or unlinked entry, entries missing from a sequence, a tail \
            missing after checkpoint k (count mismatch), a head that differs from what a checkpoint recorded, \
            and checkpoints with a bad signature or out of sequence. Entries after the last checkpoint are \
            vouched for by their chain only (a deletion of them is not detectable): the output says how many.
            """
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let v = try global.existingOperations(orPostgres: "audit verify").verifyAudit()
            if global.format == .json {
                struct Output: Encodable {
                    var intact: Bool; var entries: Int; var checkpoints: Int; var anchored: Int64; var unanchored: Int
                    var firstBrokenID: Int64?; var problems: [AuditVerification.Problem]
                }
                print(JSON.line(Output(intact: v.isIntact, entries: v.entries, checkpoints: v.checkpoints, anchored: v.anchored,
                                       unanchored: v.unanchored, firstBrokenID: v.firstBrokenID, problems: v.problems)))
            } else if v.isIntact {
                print("audit log intact: \(v.entries) entries, every MAC and link verified; \(v.checkpoints) checkpoints verified"
                      + (v.checkpoints > 0 ? ", the last vouching for entries 1…\(v.anchored)" : ""))
                if v.unanchored > 0 {
                    print("note: the last \(v.unanchored) entries come after the last checkpoint (their deletion would not be detected until one is written)")
                }
            } else {
                print("audit log BROKEN: \(v.problems.count) problem\(v.problems.count == 1 ? "" : "s") (\(v.entries) entries, \(v.checkpoints) checkpoints read)")
                for p in v.problems { print("  \(p.kind.rawValue): \(p.message)") }
            }
            if !v.isIntact { throw ExitCode.failure }
        }
    }

    /// Masks an 18-digit resident ID for display.
    static func masked(_ code: String) -> String {
        IdentityMask.looksLikeResidentID(code) ? IdentityMask.residentID(code) : code
    }
}
