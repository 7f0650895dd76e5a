import ArgumentParser
import CreditOperations
import Foundation

/// `creditctl users add|list|revoke|rotate|import`: the service's accounts, stored in the
/// registry with their tokens as SHA-256 digests; every change audited.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the service's accounts (tokens are printed once and stored only as digests).",
        subcommands: [UsersAdd.self, UsersList.self, UsersRevoke.self, UsersRotate.self, UsersImport.self]
    )

    /// Runs an account use-case, turning its refusal into a message and exit 65.
    static func refusing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as AccountError {
            Terminal.err("creditctl: \(e.description)\n")
            throw ExitCode(65)
        }
    }

    /// Prints a token once, with the warning that it is not kept.
    static func show(_ issued: IssuedToken) {
        print(issued.token)
        Terminal.err("token of \(issued.account.name) (\(issued.account.role.rawValue)) shown once: it is stored only as a digest\n")
    }
}

extension AccountRole: ExpressibleByArgument {}

struct UsersAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create an account and print its token once.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Account name (recorded as the actor of its requests).") var name: String
    @Option(help: "Role: officer, bank, operator, administrator or auditor.") var role: AccountRole
    @Option(help: "The officer's department id (e.g. sat); officers only, required for them.") var department: String?
    @Option(help: "Who makes the change, for the audit log.") var actor: String?

    func run() throws {
        let ops = try global.operations(orPostgres: "users add")
        let issued = try UsersCommand.refusing {
            try ops.addAccount(Account(name: name, role: role, department: department), actor: actor ?? SubjectCommand.defaultActor)
        }
        UsersCommand.show(issued)
    }
}

struct UsersList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts (never their tokens).")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let accounts = try global.existingOperations(orPostgres: "users list").listAccounts()
        switch global.format {
        case .json: accounts.forEach { print(JSON.line($0)) }
        case .csv:
            print("name,role,department,created_at,revoked_at")
            accounts.forEach { print([$0.account.name, $0.account.role.rawValue, $0.account.department ?? "", $0.createdAt, $0.revokedAt ?? ""]
                .map(CSV.field).joined(separator: ",")) }
        case .table:
            print(TextTable.render(header: ["name", "role", "department", "created", "revoked"], rows: accounts.map {
                [$0.account.name, $0.account.role.rawValue, $0.account.department ?? "", $0.createdAt, $0.revokedAt ?? ""]
            }))
        }
    }
}

struct UsersRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an account: its token stops working (a running server notices within 5 seconds)."
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Account name.") var name: String
    @Option(help: "Who makes the change, for the audit log.") var actor: String?

    func run() throws {
        let ops = try global.existingOperations(orPostgres: "users revoke")
        try UsersCommand.refusing { try ops.revokeAccount(named: name, actor: actor ?? SubjectCommand.defaultActor) }
        Terminal.err("revoked \(name)\n")
    }
}

struct UsersRotate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rotate", abstract: "Give an account a new token (printed once); the old one stops working.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Account name.") var name: String
    @Option(help: "Who makes the change, for the audit log.") var actor: String?

    func run() throws {
        let ops = try global.existingOperations(orPostgres: "users rotate")
        UsersCommand.show(try UsersCommand.refusing { try ops.rotateAccount(named: name, actor: actor ?? SubjectCommand.defaultActor) })
    }
}

struct UsersImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import accounts from a JSON token file (mode 600): [{\"token\", \"name\", \"role\", \"department\"}].",
        discussion: "Refused as a whole when the file is readable by others, a token is weak or repeated, or a name exists."
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Token file (JSON).") var file: String
    @Option(help: "Who makes the change, for the audit log.") var actor: String?

    func run() throws {
        let ops = try global.operations(orPostgres: "users import")
        let imported = try UsersCommand.refusing { try ops.importAccounts(try TokenFile(path: file), actor: actor ?? SubjectCommand.defaultActor) }
        Terminal.err("imported \(imported.count) accounts: \(imported.map(\.name).joined(separator: ", "))\n")
    }
}
