import CreditTestSupport
import Foundation

/// `creditctl` pointed at one test registry (SQLite or PostgreSQL): `run(["feeds", "list"])`
/// appends `--db` and passes the backend's environment, so a test reads the same on both.
struct RegistryCLI {
    let registry: TestRegistry
    var backend: TestBackend { registry.backend }
    var db: String { registry.db }

    /// A fresh registry of `backend` in `scratch`.
    init(_ backend: TestBackend, in scratch: TemporaryDirectory, name: String = "credit") throws {
        registry = try backend.registry(in: scratch, name: name)
    }

    init(_ registry: TestRegistry) { self.registry = registry }

    /// Runs creditctl with `arguments` on this registry.
    func callAsFunction(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> CreditCtlBinary.Run {
        try CreditCtlBinary.run(arguments + ["--db", registry.db], input: input,
                                environment: registry.environment.merging(environment) { _, n in n })
    }
}
