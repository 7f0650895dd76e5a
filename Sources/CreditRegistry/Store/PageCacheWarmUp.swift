import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to read a registry file into the page cache before queries need its pages.
///
/// A name search of three or more characters follows postings spread over the whole file: on a
/// 10,000,000-name registry (6 GiB) its p99 is 20–33 ms while those pages come from disk, and
/// under 2 ms once they are cached. A server started on a cold cache would give the slow answers
/// until its queries had touched every page; the warm-up reads the file ahead once instead, off
/// the request path (`posix_fadvise(POSIX_FADV_WILLNEED)` on a thread of its own).
public enum PageCacheWarmUp {
    /// What a warm-up did.
    public enum Outcome: Equatable, Sendable {
        /// The file's `bytes` were handed to the kernel's read-ahead.
        case advised(bytes: Int64)
        /// The file is larger than `budget` (half the machine's memory): reading it ahead would
        /// only push other pages out, so nothing was asked.
        case tooLarge(bytes: Int64, budget: Int64)
        /// The file could not be opened or advised (`errno` text).
        case failed(String)
    }

    /// Half of the machine's memory: the most a warm-up reads ahead.
    public static var defaultBudget: Int64 { Int64(clamping: ProcessInfo.processInfo.physicalMemory / 2) }

    /// Asks the kernel to read `path` ahead, synchronously (the call returns once the reads are
    /// queued; they complete in the background). Use ``start(path:budget:completion:)`` from a server.
    public static func advise(path: String, budget: Int64 = defaultBudget) -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failed("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failed("\(path): \(String(cString: strerror(errno)))") }
        let bytes = Int64(info.st_size)
        guard bytes <= budget else { return .tooLarge(bytes: bytes, budget: budget) }
        let rc = posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED)
        guard rc == 0 else { return .failed("\(path): \(String(cString: strerror(rc)))") }
        return .advised(bytes: bytes)
    }

    /// Runs ``advise(path:budget:)`` on a thread of its own (never the cooperative pool: queuing
    /// the reads of a large file blocks) and hands the outcome to `completion` there.
    public static func start(path: String, budget: Int64 = defaultBudget, completion: @escaping @Sendable (Outcome) -> Void) {
        let thread = Thread { completion(advise(path: path, budget: budget)) }
        thread.name = "page-cache warm-up"
        thread.qualityOfService = .background
        thread.start()
    }
}
