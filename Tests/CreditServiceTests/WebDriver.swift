import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A headless Chromium driven through `chromedriver`'s WebDriver protocol (W3C, HTTP + JSON).
///
/// Elements are awaited with WebDriver's implicit wait: the driver polls the DOM until the
/// element appears or the wait ends, so a test never sleeps.
final class WebDriver {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// `chromedriver` on the PATH, or nil.
    static var chromedriverPath: String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin", "/usr/lib/chromium"]
        return paths.map { "\($0)/chromedriver" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private let process: Process
    private let port: Int
    private var session = ""

    /// Starts `chromedriver` on a free port of 127.0.0.1 and a headless browser session.
    init(chromedriver: String) async throws {
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        do { try await start() } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
    }

    private func start() async throws {
        try await waitUntilReady()
        var options: [String: Any] = ["args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400",
                                               "--lang=zh-CN"]]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") { options["binary"] = "/usr/bin/chromium" }
        let created = try await command("POST", "/session", ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]])
        guard let id = (created as? [String: Any])?["sessionId"] as? String else { throw Failure(description: "no session in \(String(describing: created))") }
        session = id
        _ = try await command("POST", "/session/\(session)/timeouts", ["implicit": 15_000, "pageLoad": 30_000, "script": 15_000])
    }

    /// Ends the browser session and the driver.
    func quit() async {
        if !session.isEmpty { _ = try? await command("DELETE", "/session/\(session)", nil) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    func navigate(_ url: String) async throws { _ = try await command("POST", "/session/\(session)/url", ["url": url]) }

    /// The first element matching `css`, waiting (in the driver) until it exists.
    func element(_ css: String) async throws -> String {
        let found = try await command("POST", "/session/\(session)/element", ["using": "css selector", "value": css])
        guard let id = (found as? [String: Any])?.values.first as? String else { throw Failure(description: "no element \(css)") }
        return id
    }

    func type(_ text: String, into css: String) async throws {
        let id = try await element(css)
        _ = try await command("POST", "/session/\(session)/element/\(id)/clear", [:])
        _ = try await command("POST", "/session/\(session)/element/\(id)/value", ["text": text])
    }

    func click(_ css: String) async throws {
        let id = try await element(css)
        _ = try await command("POST", "/session/\(session)/element/\(id)/click", [:])
    }

    func text(_ css: String) async throws -> String {
        let id = try await element(css)
        return try await command("GET", "/session/\(session)/element/\(id)/text", nil) as? String ?? ""
    }

    /// The value of `script` (a function body) run in the page.
    func run(_ script: String, _ args: [Any] = []) async throws -> Any? {
        try await command("POST", "/session/\(session)/execute/sync", ["script": script, "args": args])
    }

    /// Cookies the browser holds for the page, as WebDriver reports them.
    func cookies() async throws -> [[String: Any]] { try await command("GET", "/session/\(session)/cookie", nil) as? [[String: Any]] ?? [] }

    /// A PNG of the window.
    func screenshot() async throws -> Data {
        guard let b64 = try await command("GET", "/session/\(session)/screenshot", nil) as? String, let png = Data(base64Encoded: b64) else {
            throw Failure(description: "no screenshot")
        }
        return png
    }

    /// One WebDriver command: its `value`, or the driver's error. Each command is one request,
    /// made by `curl` (Linux Foundation's URLSession fails on chromedriver's answers with
    /// "Failed writing header").
    @discardableResult
    func command(_ method: String, _ path: String, _ body: Any?) async throws -> Any? {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-X", method, "-H", "Content-Type: application/json", "--max-time", "120", "-w", "\n%{http_code}"]
            + (body == nil ? [] : ["--data-binary", "@-"]) + ["http://127.0.0.1:\(port)\(path)"]
        let input = Pipe(), output = Pipe()
        curl.standardInput = input
        curl.standardOutput = output
        curl.standardError = FileHandle.nullDevice
        try curl.run()
        if let body { input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: body)) }
        try input.fileHandleForWriting.close()
        let raw = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: raw, as: UTF8.self)
        guard let cut = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: cut)...]), status > 0 else {
            throw Failure(description: "\(method) \(path): no answer (curl exit \(curl.terminationStatus))")
        }
        let data = Data(text[..<cut].utf8)
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let value = json?["value"]
        if status >= 400 {
            let error = (value as? [String: Any]).map { "\($0["error"] ?? ""): \($0["message"] ?? "")" } ?? String(decoding: data, as: UTF8.self)
            throw Failure(description: "\(method) \(path): \(status) \(error)")
        }
        return value is NSNull ? nil : value
    }

    /// Polls the driver's `/status` until it answers (a request that fails while it starts).
    private func waitUntilReady() async throws {
        var last: any Error = Failure(description: "no answer")
        for _ in 0..<300 {
            do {
                if let status = try await command("GET", "/status", nil) as? [String: Any], status["ready"] as? Bool == true { return }
            } catch { last = error }
            guard process.isRunning else { throw Failure(description: "chromedriver exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "chromedriver did not start: \(last)")
    }

    /// A port nobody listens on now (bound to port 0 and released).
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
        guard bound else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
