import ArgumentParser
import Foundation

extension RulesCommand {
    /// `creditctl rules status`: the versions and which is active.
    struct RulesStatus: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "List activated rule-set versions.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let versions = try global.existingOperations(orPostgres: "rules status").ruleVersions()
            switch global.format {
            case .json: versions.forEach { print(JSON.line($0)) }
            case .csv:
                print("version,activated_at,author,source,active")
                versions.forEach { print([$0.version, $0.activatedAt, $0.author, $0.sourceDirectory, $0.active ? "1" : "0"].map(CSV.field).joined(separator: ",")) }
            case .table:
                if versions.isEmpty { print("no rule set activated (creditctl rules activate rules/)") }
                print(TextTable.render(header: ["", "version", "activated_at", "author", "source"],
                                       rows: versions.map { [$0.active ? "*" : "", String($0.version.prefix(12)), $0.activatedAt, $0.author, $0.sourceDirectory] }))
            }
        }
    }
}
