/// The subjects whose facts a feed changed, kept up to ``limit``; past it only ``all`` is kept,
/// so memory does not grow with the feed (a feed that large is re-evaluated in full). Both feed
/// writers (SQLite and PostgreSQL) keep their count in one.
package struct TouchedSubjects: Sendable {
    package static let limit = 100_000
    package private(set) var codes = Set<String>()
    package private(set) var all = false

    package init() {}

    package mutating func add(_ more: some Sequence<String>) {
        guard !all else { return }
        codes.formUnion(more)
        if codes.count > Self.limit { all = true; codes = [] }
    }
}
