import CreditRegistry
import Foundation
import GRDB

/// Writes the open-data publication of one day into a directory: a full snapshot and a delta
/// against the latest earlier publication there, as CSV and JSON Lines, with a data dictionary
/// and a manifest of record counts and SHA-256 checksums. Streaming: subjects are read in code
/// order and the previous snapshot in step with them, so memory is flat in the registry's size.
///
/// Layout of `DIR/2026-11-30/`: `subjects|licences|penalties|lists.{csv,jsonl}` (snapshot),
/// `delta/*.{csv,jsonl}` (rows with `change` = added, changed or withdrawn, and for withdrawn
/// rows `withdrawal` = period_ended or ended, with the values last published), `dictionary.json`,
/// `manifest.json`. The day's directory appears only when complete (written under a temporary
/// name, then renamed).
///
/// ```swift
/// let manifest = try OpenDataPublisher(registry: registry, definition: definition)
///     .publish(into: "/srv/opendata", asOf: try Day("2026-11-30"), gb18030: false)
/// ```
public struct OpenDataPublisher: Sendable {
    /// Where the public subjects' facts are read (the SQLite registry, or another store's).
    public let facts: any PublicFactsReading
    public let definition: PublicDefinition

    public init(registry: Registry, definition: PublicDefinition) {
        self.init(facts: RegistryPublicFacts(registry: registry), definition: definition)
    }

    public init(facts: any PublicFactsReading, definition: PublicDefinition) {
        self.facts = facts; self.definition = definition
    }

    /// The days already published in `directory` (subdirectories with a manifest), oldest first.
    public static func publishedDays(in directory: String) -> [Day] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> Day? in
            guard name.count == 10, let day = try? Day(name),
                  FileManager.default.fileExists(atPath: "\(directory)/\(name)/manifest.json") else { return nil }
            return day
        }.sorted()
    }

    /// Publishes `asOf` into `directory` (created if missing) and returns the manifest written.
    public func publish(into directory: String, asOf: Day, gb18030: Bool) throws -> PublicationManifest {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let final = "\(directory)/\(asOf)"
        if fm.fileExists(atPath: final) { throw PublicationError.alreadyPublished(directory: final) }
        let days = Self.publishedDays(in: directory)
        if let later = days.last(where: { $0 > asOf }) { throw PublicationError.laterPublicationExists(later) }
        let previous = days.last(where: { $0 < asOf })
        let partial = "\(directory)/.\(asOf).partial"
        try? fm.removeItem(atPath: partial)
        try fm.createDirectory(atPath: "\(partial)/delta", withIntermediateDirectories: true)
        do {
            return try write(into: partial, final: final, asOf: asOf, previous: previous.map { "\(directory)/\($0)" }, previousDay: previous, gb18030: gb18030)
        } catch {
            try? fm.removeItem(atPath: partial)
            throw error
        }
    }

    private func write(into partial: String, final: String, asOf: Day, previous previousDirectory: String?, previousDay previous: Day?,
                       gb18030: Bool) throws -> PublicationManifest {
        let fm = FileManager.default

        var opened: [PublicDataset: Table] = [:]
        for dataset in PublicDataset.allCases {
            opened[dataset] = try Table(dataset, directory: partial, gb18030: gb18030,
                                        previous: previousDirectory.map { "\($0)/\(dataset.rawValue).jsonl" })
        }
        let tables = opened
        let definition = self.definition
        try facts.forEachPublicSubject { inputs in
            guard let record = definition.record(inputs, on: asOf) else { return }
            for dataset in PublicDataset.allCases {
                for row in dataset.rows(of: record) { try tables[dataset]!.add(row, asOf: asOf) }
            }
        }

        var manifest = PublicationManifest(asOf: asOf, previous: previous, csvEncoding: gb18030 ? "gb18030" : "utf8",
                                           ruleSetVersion: definition.rules.version,
                                           publicLists: PublicDefinition.publicLists.keys.sorted(), counts: [:], files: [], signature: nil)
        for dataset in PublicDataset.allCases {
            let (counts, files) = try tables[dataset]!.finish(asOf: asOf)
            manifest.counts[dataset.rawValue] = counts
            manifest.files += files
        }
        let dictionary = try Self.encoder.encode(Self.dictionary)
        try dictionary.write(to: URL(fileURLWithPath: "\(partial)/dictionary.json"))
        manifest.files.append(.init(path: "dictionary.json", dataset: "dictionary", part: "dictionary", format: "json",
                                    records: PublicDataset.allCases.count, bytes: dictionary.count, sha256: Digest.sha256Hex(dictionary)))
        try Self.encoder.encode(manifest).write(to: URL(fileURLWithPath: "\(partial)/manifest.json"))
        try fm.moveItem(atPath: partial, toPath: final)
        return manifest
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }

    /// The data dictionary: every table with its title and columns.
    public static var dictionary: [DictionaryTable] {
        PublicDataset.allCases.map { DictionaryTable(name: $0.rawValue, title: $0.title, columns: $0.columns, deltaColumns: deltaColumns) }
    }

    /// One table of `dictionary.json`.
    public struct DictionaryTable: Sendable, Codable, Hashable {
        public var name: String
        public var title: String
        public var columns: [PublicDataset.Column]
        /// Columns the delta files carry before the table's own.
        public var deltaColumns: [PublicDataset.Column]
    }

    static let deltaColumns = [
        PublicDataset.Column(name: "change", label: "变更类型", type: "text", description: "added, changed or withdrawn since the previous publication"),
        PublicDataset.Column(name: "withdrawal", label: "撤下原因", type: "text",
                             description: "for withdrawn rows: period_ended (the publicity period ran out) or ended (repair, revocation, list exit, correction); the row's values are those last published"),
    ]

    /// One table's four files and its merge with the previous snapshot.
    /// Used by one thread at a time (the publishing read), hence unchecked.
    private final class Table: @unchecked Sendable {
        let dataset: PublicDataset
        let names: [String]
        let csv, jsonl, deltaCSV, deltaJSONL: PublicationFile
        let previous: PublicationLineReader?
        var pending: [String?]?
        var counts = PublicationManifest.Counts()
        var scratch: [UInt8] = []

        init(_ dataset: PublicDataset, directory: String, gb18030: Bool, previous: String?) throws {
            self.dataset = dataset
            names = dataset.columns.map(\.name)
            let base = dataset.rawValue
            csv = try PublicationFile(path: "\(directory)/\(base).csv", gb18030: gb18030)
            jsonl = try PublicationFile(path: "\(directory)/\(base).jsonl")
            deltaCSV = try PublicationFile(path: "\(directory)/delta/\(base).csv", gb18030: gb18030)
            deltaJSONL = try PublicationFile(path: "\(directory)/delta/\(base).jsonl")
            self.previous = try previous.map { try PublicationLineReader(path: $0) }
            if !gb18030 { try csv.writeRaw([0xEF, 0xBB, 0xBF]); try deltaCSV.writeRaw([0xEF, 0xBB, 0xBF]) }
            scratch = []
            PublicationText.csvLine(names, into: &scratch); try csv.write(scratch)
            scratch = []
            PublicationText.csvLine(OpenDataPublisher.deltaColumns.map(\.name) + names, into: &scratch); try deltaCSV.write(scratch)
            try advancePrevious()
        }

        private func advancePrevious() throws {
            guard let previous, let line = previous.next() else { pending = nil; return }
            pending = try PublicationText.parseJSONLine(line, names: names, file: previous.path, lineNumber: previous.lineNumber)
        }

        private static func before(_ a: [String?], _ b: [String?]) -> Bool {
            let (ac, bc) = (a[0] ?? "", b[0] ?? "")
            return ac != bc ? ac < bc : (a[1] ?? "") < (b[1] ?? "")
        }

        func add(_ row: [String?], asOf: Day) throws {
            scratch.removeAll(keepingCapacity: true); PublicationText.csvLine(row, into: &scratch); try csv.write(scratch)
            scratch.removeAll(keepingCapacity: true); PublicationText.jsonLine(names, row, into: &scratch); try jsonl.write(scratch)
            csv.records += 1; jsonl.records += 1; counts.snapshot += 1
            while let p = pending, Self.before(p, row) { try delta("withdrawn", p, asOf: asOf); try advancePrevious() }
            if let p = pending, p[0] == row[0] && p[1] == row[1] {
                if p != row { try delta("changed", row, asOf: asOf) }
                try advancePrevious()
            } else {
                try delta("added", row, asOf: asOf)
            }
        }

        private func delta(_ change: String, _ row: [String?], asOf: Day) throws {
            var withdrawal: String?
            if change == "withdrawn" {
                let until = names.firstIndex(of: "public_until").flatMap { row[$0] }.flatMap { try? Day($0) }
                withdrawal = until.map { $0 <= asOf } == true ? "period_ended" : "ended"
                counts.withdrawn += 1
            } else if change == "added" { counts.added += 1 } else { counts.changed += 1 }
            let values: [String?] = [change, withdrawal] + row
            let allNames = OpenDataPublisher.deltaColumns.map(\.name) + names
            scratch.removeAll(keepingCapacity: true); PublicationText.csvLine(values, into: &scratch); try deltaCSV.write(scratch)
            scratch.removeAll(keepingCapacity: true); PublicationText.jsonLine(allNames, values, into: &scratch); try deltaJSONL.write(scratch)
            deltaCSV.records += 1; deltaJSONL.records += 1
        }

        func finish(asOf: Day) throws -> (PublicationManifest.Counts, [PublicationManifest.File]) {
            while let p = pending { try delta("withdrawn", p, asOf: asOf); try advancePrevious() }
            var files: [PublicationManifest.File] = []
            for (file, part, format) in [(csv, "snapshot", "csv"), (jsonl, "snapshot", "jsonl"), (deltaCSV, "delta", "csv"), (deltaJSONL, "delta", "jsonl")] {
                let sha = try file.finish()
                let relative = (part == "delta" ? "delta/" : "") + "\(dataset.rawValue).\(format)"
                files.append(.init(path: relative, dataset: dataset.rawValue, part: part, format: format, records: file.records,
                                   bytes: file.bytes, sha256: sha))
            }
            return (counts, files)
        }
    }
}
