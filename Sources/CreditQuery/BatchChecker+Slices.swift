import CreditRegistry
import Decisions
import Foundation
import GRDB

extension BatchChecker {
    /// Starts the workers of a run over a store read through slices: each worker loads the
    /// subjects of the batch it takes into its in-memory registry, then judges the rows there
    /// with the same ``BatchRowProcessor`` as on SQLite. The loaders share one snapshot of the store.
    func startSliceWorkers(_ slices: any RegistrySlicing, count: Int, layout: BatchLayout, asOf: Day, options: Options,
                           prefetch: Bool, pipeline: BatchPipeline, group: DispatchGroup) throws {
        let loaders = try slices.batchLoaders(count: count, asOf: asOf, prefetch: prefetch)
        let codeCheck = self.codeCheck
        for (index, loader) in loaders.enumerated() {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                defer { loader.close() }
                do {
                    try loader.slice.writer.writeWithoutTransaction { db in
                        let processor = try BatchRowProcessor(db: db, layout: layout, codeCheck: codeCheck, provider: loader.decisions,
                                                              asOf: asOf, format: options.format, known: nil, persons: options.persons)
                        while let b = pipeline.pop() {
                            try loader.load(b.rows.compactMap { row in row.check.map { BatchSliceRow(identifier: $0.normalised, givenName: row.given) } },
                                            into: db)
                            var out = BatchOutput(capacity: b.rows.count * 256 + 256)
                            var tally = BatchRowProcessor.Tally()
                            for row in b.rows { try processor.process(row, into: &out, tally: &tally) }
                            pipeline.complete(seq: b.seq, bytes: out.bytes, tally: tally)
                        }
                    }
                } catch {
                    pipeline.fail(error)
                }
                pipeline.finished(index: index, cpu: ThreadClock.cpuSeconds())
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
