import ArgumentParser
import CreditRegistry

/// `creditctl demo`: runs the main job on the bundled samples.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Validate sample codes and build a registry from the bundled samples."
    )

    @Option(name: .long, help: "Registry database file to create or update.")
    var db: String = "demo.db"

    func run() async throws {
        print("creditctl demo: registry \(db)")
    }
}
