/// The registry's subject codes, `size` at a time, in the order of the code index (the
/// database's collation): how the materialiser and the impact diff walk every subject with
/// memory that follows the batch. Which subjects share a batch does not change what is decided
/// for each.
enum SubjectCodeBatches {
    /// Calls `body` with each batch of codes, in order, until none is left.
    static func forEach(_ statements: PipelinedStatements, size: Int, _ body: ([String]) throws -> Void) throws {
        var last: String?
        while true {
            let page = try last.map { after in
                try statements.query("SELECT code FROM subject WHERE code > \(after) ORDER BY code LIMIT \(size)",
                                     "read a batch of subject codes")
            } ?? statements.query("SELECT code FROM subject ORDER BY code LIMIT \(size)", "read a batch of subject codes")
            let codes = try page.map { try $0.decode(String.self) }
            guard let end = codes.last else { return }
            try body(codes)
            last = end
        }
    }
}
