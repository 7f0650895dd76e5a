import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import FeedIngest
import Foundation

extension SamplesCommand {
    /// `creditctl samples read FILE`: streams a feed through the reader and counts its records.
    struct SamplesRead: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "Stream a feed through the validating reader and count records per kind.",
            discussion: "Exit status: 0 all records valid; 1 some records invalid; 65 feed refused.",
            shouldDisplay: false
        )

        @Argument(help: "Feed file.")
        var file: String

        @Option(name: .long, help: "Output format: table or json.")
        var format: OutputFormat = .table

        @Flag(name: .long, help: "Also print elapsed time, records per second and peak memory (VmHWM).")
        var stats = false

        @Flag(name: .long, help: "Print every invalid record.")
        var issues = false

        func run() throws {
            let started = DispatchTime.now().uptimeNanoseconds
            let summary: FeedReadSummary
            do {
                summary = try FeedReadSummary.read(path: file)
            } catch {
                Terminal.err("creditctl: \(error)\n")
                throw ExitCode(65)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            switch format {
            case .json:
                var obj: [String: Any] = [
                    "file": file, "bureau": summary.header.bureau.rawValue, "feedId": summary.header.feedID,
                    "sequence": summary.header.sequence, "kind": summary.header.kind.rawValue,
                    "records": summary.total, "invalid": summary.issues.count,
                    "counts": Dictionary(uniqueKeysWithValues: summary.counts.map { ($0.key.rawValue, $0.value) }),
                    "digest": summary.digest ?? "", "bytes": summary.bytes,
                ]
                if issues {
                    obj["issues"] = summary.issues.map { i -> [String: Any] in
                        ["line": i.line, "key": i.key ?? NSNull(), "field": i.field ?? NSNull(), "reason": i.reason]
                    }
                }
                if stats {
                    obj["seconds"] = seconds
                    obj["recordsPerSecond"] = Double(summary.total) / max(seconds, 1e-9)
                    obj["peakRSSKiB"] = FeedReadSummary.peakRSSKiB() ?? 0
                }
                let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .prettyPrinted])
                print(String(decoding: data, as: UTF8.self))
            case .table, .csv:
                print("\(file): \(summary.header.bureau.rawValue) feed \(summary.header.feedID) #\(summary.header.sequence) (\(summary.header.kind.rawValue))")
                for (k, n) in summary.counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    print("  \(k.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(n)")
                }
                print("  records              \(summary.total)")
                print("  invalid              \(summary.issues.count)")
                if issues {
                    for i in summary.issues { print("  line \(i.line) key \(i.key ?? "-") field \(i.field ?? "-"): \(i.reason)") }
                }
                print("  sha256               \(summary.digest ?? "")")
                if stats {
                    print(String(format: "  seconds              %.3f", seconds))
                    print(String(format: "  records/s            %.0f", Double(summary.total) / max(seconds, 1e-9)))
                    print("  peak RSS (KiB)       \(FeedReadSummary.peakRSSKiB() ?? 0)")
                }
            }
            if !summary.issues.isEmpty { throw ExitCode.failure }
        }
    }
}

/// What reading a whole feed found.
struct FeedReadSummary {
    var header: FeedHeader
    var counts: [FeedItemKind: Int] = [:]
    var issues: [FeedItemIssue] = []
    var total = 0
    var digest: String?
    var bytes = 0

    static func read(path: String) throws(FeedError) -> FeedReadSummary {
        let reader = try FeedReader(path: path)
        var s = FeedReadSummary(header: reader.header)
        while let e = try reader.next() {
            s.total += 1
            switch e {
            case .item(let item): s.counts[item.kind, default: 0] += 1
            case .invalid(let issue): s.issues.append(issue)
            }
        }
        s.digest = reader.digest
        s.bytes = reader.bytesRead
        return s
    }

    /// Peak resident set size of this process (Linux `VmHWM`), in KiB.
    static func peakRSSKiB() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }
}
