import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery

/// `creditctl code generate`: deterministic sample codes (hidden; for tests and benchmarks).
struct CodeGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Print generated codes, one per line (valid, or corrupted at the given ratio).",
        shouldDisplay: false
    )

    enum Scheme: String, ExpressibleByArgument, CaseIterable {
        case uscc, resident, resident15, regnum, orgcode
    }

    @Option(name: .long, help: "Number of codes.")
    var count: Int = 10

    @Option(name: .long, help: "Random seed (same seed, same output).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Share of codes given one random edit, 0...1.")
    var corruptRatio: Double = 0

    @Option(name: .long, parsing: .upToNextOption,
            help: "Schemes to mix (uscc resident resident15 regnum orgcode), equally weighted.")
    var schemes: [Scheme] = [.uscc, .resident]

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative.") }
        guard (0...1).contains(corruptRatio) else { throw ValidationError("--corrupt-ratio must be between 0 and 1.") }
        guard !schemes.isEmpty else { throw ValidationError("--schemes needs at least one scheme.") }
    }

    func run() {
        var gen = CodeGenerator(seed: seed)
        var out = ByteOutput()
        for _ in 0..<count {
            let scheme = schemes[Int.random(in: 0..<schemes.count, using: &gen.random)]
            var text: String
            switch scheme {
            case .uscc: text = gen.creditCode().description
            case .resident: text = gen.residentID().description
            case .resident15: text = gen.legacyResidentID()
            case .regnum: text = gen.registrationNumber().description
            case .orgcode: text = gen.organizationCode().compact
            }
            if corruptRatio > 0 && Double.random(in: 0..<1, using: &gen.random) < corruptRatio {
                text = gen.corrupt(text)
            }
            out.write(text)
            out.write(byte: 0x0A)
        }
        out.flush()
    }
}
