import CreditOperations
import CreditQuery
import Foundation
import HTTPTypes
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif

/// Streams a bank's upload through the batch checker and the verdicts back, with memory flat in
/// the file's size: the request body is written into a pipe the checker reads on the batch pool,
/// and what the checker writes into a second pipe is sent as it comes. Blocking reads and writes
/// of the pipes happen on the I/O pool, never on an event loop or the cooperative pool.
///
/// The status is decided once the checker has written its first bytes (or failed before any):
/// a file the checker refuses (no code column) is a 400; after that, the summary arrives as the
/// `X-Check-Summary` trailer.
struct BatchStream {
    let operations: CreditOperations
    let batchPool: BlockingPool
    let ioPool: BlockingPool
    /// Largest upload accepted.
    let maxUploadSize: Int

    static let chunkSize = 1 << 16

    /// `finished` is called once the checker has ended (its answer sent or refused).
    func run(_ body: RequestBody, options: BatchChecker.Options, viewer: Viewer, contentType: String,
             finished: @escaping @Sendable () -> Void = {}) async throws -> Response {
        let input = try Pipe.make(), output = try Pipe.make()
        let operations = self.operations, ioPool = self.ioPool, batchPool = self.batchPool, maxUploadSize = self.maxUploadSize
        let check = Task { () throws -> BatchChecker.Summary in
            defer { finished() }
            return try await batchPool.run {
                defer { close(input.read); close(output.write) }
                return try operations.batchCheck(input: input.read, output: output.write, options: options, viewer: viewer)
            }
        }
        let upload = Task { () throws -> Void in
            defer { close(input.write) }
            var total = 0
            for try await chunk in body {
                total += chunk.readableBytes
                guard total <= maxUploadSize else { throw Problem(.contentTooLarge, code: "body_too_large", detail: "the file is larger than \(maxUploadSize) bytes") }
                let bytes = Array(buffer: chunk)
                // A checker that stopped reading (it refused the file) ends the upload quietly.
                guard try await ioPool.run({ try Pipe.writeAll(input.write, bytes) }) else { return }
            }
        }
        let first: [UInt8]
        do { first = try await ioPool.run { try Pipe.read(output.read, upTo: Self.chunkSize) } } catch {
            close(output.read); upload.cancel()
            throw error
        }
        if first.isEmpty {
            // The checker ended without writing anything: it refused the file, or the file had no rows.
            close(output.read)
            let summary: BatchChecker.Summary
            do { summary = try await check.value } catch {
                upload.cancel()
                // An upload cut off (over its size limit) leaves the checker an empty or partial
                // file: the upload's own refusal is the answer then.
                if case .failure(let cause as Problem) = await upload.result { throw cause }
                if case OperationError.badBatchInput(let reason) = error { throw Problem(.badRequest, code: "bad_batch_input", detail: reason) }
                throw error
            }
            try await upload.value
            return Response(status: .ok, headers: Self.headers(contentType, summary: summary), body: .init())
        }
        return Response(status: .ok, headers: [.contentType: contentType, .trailer: "X-Check-Summary"], body: ResponseBody { writer in
            defer { close(output.read) }
            try await writer.write(ByteBuffer(bytes: first))
            while true {
                let chunk = try await ioPool.run { try Pipe.read(output.read, upTo: Self.chunkSize) }
                if chunk.isEmpty { break }
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            let summary = try await check.value
            try await upload.value
            try await writer.finish([Self.summaryField: Self.summaryText(summary)])
        })
    }

    static let summaryField = HTTPField.Name("X-Check-Summary")!

    static func summaryText(_ s: BatchChecker.Summary) -> String {
        "rows=\(s.rows) valid=\(s.valid) found=\(s.found) flagged=\(s.flagged)"
    }

    static func headers(_ contentType: String, summary: BatchChecker.Summary) -> HTTPFields {
        [.contentType: contentType, summaryField: summaryText(summary)]
    }
}

/// A POSIX pipe and the blocking calls on it (run on a pool thread).
enum Pipe {
    struct Ends: Sendable { var read: Int32; var write: Int32 }

    static func make() throws -> Ends {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw HTTPError(.internalServerError, message: "cannot create a pipe") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return Ends(read: fds[0], write: fds[1])
    }

    /// Writes every byte; false when the reader has gone (EPIPE).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n >= 0 { offset += n; continue }
            if errno == EINTR { continue }
            if errno == EPIPE { return false }
            throw Problem(.internalServerError, code: "internal", detail: "cannot pass the upload to the checker: \(String(cString: strerror(errno)))")
        }
        return true
    }

    /// Up to `count` bytes; empty at the end of the stream.
    static func read(_ fd: Int32, upTo count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
            if n >= 0 { buffer.removeSubrange(n...); return buffer }
            if errno != EINTR { throw HTTPError(.internalServerError, message: "cannot read the verdicts: \(String(cString: strerror(errno)))") }
        }
    }
}
