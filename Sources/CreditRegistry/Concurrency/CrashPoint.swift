import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Named points where a crash test may kill the process deterministically, instead of killing
/// it after a guessed delay.
///
/// `CREDIT_CRASH_AT=feed.batch:3` sends SIGKILL to the process the third time the point
/// `feed.batch` is reached (`:1` when no count is given). Without the variable a point costs one
/// load of a static.
///
/// ```swift
/// CrashPoint.reached("feed.before-commit")
/// ```
public enum CrashPoint {
    private static let target: (name: String, count: Int)? = {
        guard let spec = ProcessInfo.processInfo.environment["CREDIT_CRASH_AT"], !spec.isEmpty else { return nil }
        let parts = spec.split(separator: ":", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
    }()
    private static let hits = LockedBox(0)

    /// Kills the process with SIGKILL when this is the point and the count `CREDIT_CRASH_AT` names.
    public static func reached(_ name: String) {
        guard let target, target.name == name else { return }
        let n = hits.withValue { h -> Int in h += 1; return h }
        if n == target.count { kill(getpid(), SIGKILL) }
    }
}
