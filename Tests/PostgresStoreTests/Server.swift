import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `creditctl serve` process on 127.0.0.1, stopped by ``stop()`` (and when dropped).
final class Server: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL
    private var launched = false

    /// Starts `creditctl serve` with `arguments` on a free port and waits until `/health` answers
    /// (or the process dies, which throws with its log).
    init(_ arguments: [String], scratch: URL, name: String, environment: [String: String] = [:]) async throws {
        port = try Self.freePort()
        log = scratch.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = CreditCtl.url
        process.arguments = ["serve", "--port", String(port)] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["CREDITCTL_TODAY": "2026-11-30"].merging(environment) { _, n in n }) { _, n in n }
        process.standardInput = FileHandle.nullDevice
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        launched = true
        for _ in 0..<600 {
            guard process.isRunning else {
                throw ServerError(message: "\(name) exited: " + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
            }
            if (try? await get("/health").status) == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw ServerError(message: "\(name) did not answer /health within a minute")
    }

    struct Response: Sendable { var status: Int; var body: String }

    func get(_ path: String, token: String? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }

    /// Stops the server (SIGTERM, then waits for it).
    func stop() {
        guard launched else { return }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw ServerError(message: "no free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

struct ServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
