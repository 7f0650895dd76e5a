import CreditQuery
import CreditRegistry
import Decisions
import Foundation
import Logging

/// The CSV encoding of a publication.
public enum PublicationEncoding: String, Sendable, CaseIterable {
    /// UTF-8 with a byte-order mark (spreadsheets open it as UTF-8).
    case utf8
    /// GB18030, for tools that expect the national encoding.
    case gb18030
}

extension CreditOperations {
    /// The public definition over the active rule set (its publicity rules decide when a
    /// penalty is shown). Throws ``OperationError/noActiveRuleSet`` when no rule set is active.
    /// `cached`: from the look-up cache (the query); else compiled from the stored version alone
    /// (a publication, which need not read the decision table the cache's provider reads).
    func publicDefinition(cached: Bool = true) throws -> PublicDefinition {
        let rules = if let decisionStore { try decisionStore.activeRuleSet() } else if cached { try activeRules.provider().rules } else {
            try RuleSetStore(registry: registry).activeRuleSet()
        }
        guard let rules else { throw OperationError.noActiveRuleSet }
        return try PublicDefinition(rules: rules)
    }

    /// The public credit information of the market entity an organisation identifier names, as
    /// of today: identity, licences and penalties within their publicity periods, public list
    /// memberships, each with its source and period. Nil when no public subject has that
    /// identifier (natural persons and resident ID numbers are never looked up).
    ///
    /// Not written to the audit log: the answer is public and carries no personal data, and
    /// anyone may ask without an account; the service logs and rate-limits these look-ups.
    public func publicRecord(_ identifier: String) throws -> PublicRecord? {
        let definition = try publicDefinition()
        let today = clock.today()
        return try publicFactsReader.publicInputs(for: identifier).flatMap { definition.record($0, on: today) }
    }

    /// Public market entities whose current or former name contains `text`, ranked as the
    /// officers' search ranks them; identity only. Not audited (see ``publicRecord(_:)``).
    public func publicSearch(_ text: String, limit: Int = 20) throws -> [PublicSearchHit] {
        let today = clock.today()
        // Natural persons are dropped after ranking: ask for enough to fill the page.
        let hits = try reader.searchNames(text, limit: limit * 2 + 10, asOf: today, unmask: false)
        return hits.filter { PublicDefinition.isPublic($0.kind) }.prefix(limit).map {
            PublicSearchHit(code: $0.code, name: $0.name, matchedName: $0.matchedName, former: $0.former, kind: $0.kind, status: $0.status)
        }
    }

    /// Publishes the public credit information of `asOf` (default today) into `directory`: a
    /// full snapshot and a delta against the latest earlier publication there, with a data
    /// dictionary and a manifest of counts and SHA-256 checksums. The same definition as
    /// ``publicRecord(_:)``, so the publication of a day never contradicts that day's query.
    public func publish(into directory: String, asOf: Day? = nil, encoding: PublicationEncoding = .utf8) throws -> PublicationManifest {
        let day = day(asOf)
        let started = Date()
        let manifest = try OpenDataPublisher(facts: publicFactsReader, definition: try publicDefinition(cached: false))
            .publish(into: directory, asOf: day, gb18030: encoding == .gb18030)
        var meta: Logger.Metadata = ["asOf": "\(day)", "directory": "\(directory)", "seconds": "\(Date().timeIntervalSince(started))",
                                     "previous": "\(manifest.previous.map(\.description) ?? "none")"]
        for (name, c) in manifest.counts { meta[name] = "\(c.snapshot) (+\(c.added) ~\(c.changed) -\(c.withdrawn))" }
        logger.info("published", metadata: meta)
        return manifest
    }

    /// Where the public facts are read: ``publicFacts`` when set (PostgreSQL), else the SQLite registry.
    var publicFactsReader: any PublicFactsReading { publicFacts ?? RegistryPublicFacts(registry: registry) }
}
