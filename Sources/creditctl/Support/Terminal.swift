#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about where output goes, so long work shows progress only to a person.
enum Terminal {
    /// True when standard error is a terminal (progress bars go there).
    static var stderrIsTTY: Bool { isatty(2) == 1 }
    /// True when standard output is a terminal.
    static var stdoutIsTTY: Bool { isatty(1) == 1 }

    /// Writes to standard error without buffering.
    static func err(_ text: String) {
        var t = text
        t.withUTF8 { buf in _ = write(2, buf.baseAddress, buf.count) }
    }
}
