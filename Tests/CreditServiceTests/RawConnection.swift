import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the server under test, for what an HTTP client will not do: send
/// half a request head, or hold a connection open. Reads block until the server answers or closes
/// (bounded by a receive timeout far above any expected answer, so a broken server fails the test
/// instead of hanging it).
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// What arrives until the server closes the connection (or, with `untilComplete`, until
    /// one complete answer with a Content-Length has arrived). Nil when the receive timed out.
    /// The blocking reads run on a thread of their own, never on the cooperative pool the server
    /// under test needs.
    func read(untilComplete: Bool = false) async -> String? {
        let box = self
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: box.readBlocking(untilComplete: untilComplete)) }.start()
        }
    }

    private func readBlocking(untilComplete: Bool) -> String? {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return String(decoding: data, as: UTF8.self) }
            if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? nil : String(decoding: data, as: UTF8.self) }
            data += buffer[0..<n]
            if untilComplete, let text = Optional(String(decoding: data, as: UTF8.self)), let end = text.range(of: "\r\n\r\n"),
               let lengthLine = text[..<end.lowerBound].split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
               let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)),
               text.utf8.count - text.utf8.distance(from: text.startIndex, to: end.upperBound) >= length {
                return text
            }
        }
    }
}
