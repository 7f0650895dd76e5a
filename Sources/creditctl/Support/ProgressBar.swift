import Foundation

/// A one-line progress bar on standard error, drawn only when it is a terminal and at most
/// ten times a second; silent otherwise, so piped output stays machine-readable.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let lock = NSLock()
    private var last = Date.distantPast
    private let started = Date()

    init(label: String, enabled: Bool = Terminal.stderrIsTTY) {
        self.label = label
        self.enabled = enabled
    }

    /// Draws `done` of `total` (bytes, rows…) and a count of items.
    func update(done: Int, total: Int, items: Int, unit: String = "records") {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) > 0.1 || done >= total else { return }
        last = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 28
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(items) / elapsed : 0
        let mb = Double(done) / 1_048_576, totalMB = Double(total) / 1_048_576
        Terminal.err(String(format: "\r%@ %@ %3.0f%% %.1f/%.1f MB %d %@ (%.0f/s)\u{1B}[K",
                            label, bar, fraction * 100, mb, totalMB, items, unit, rate))
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        Terminal.err("\r\u{1B}[K")
    }
}
