import CreditTestSupport
import Foundation

/// A `creditctl national serve` process (the reference national platform) on 127.0.0.1 with a
/// store of its own, accepting the city `350200` signed with the sample key; ``cityConfig`` is
/// the city's exchange configuration pointing at it. Stopped by ``stop()`` (and when dropped).
final class NationalPeer: @unchecked Sendable {
    static let keys = CreditCtl.packageRoot.appendingPathComponent("samples/exchange").path
    let process = Process()
    let port: Int
    let store: String
    let cityConfig: String
    private let log: URL

    /// Starts the peer serving the national list files in `lists` (if any), with `faults`
    /// (`--slow-ms 200`, …), and waits until it listens (or throws with its log when it dies).
    init(scratch: TemporaryDirectory, name: String, lists: String? = nil, faults: [String] = []) async throws {
        port = try Server.freePort()
        store = scratch.path("\(name).db")
        let peerConfig = scratch.path("\(name)-national.json")
        try #"{"self": {"id": "national", "private_key": "\#(Self.keys)/sample-national.key"}, "peers": [{"id": "350200", "url": "http://127.0.0.1:1", "public_key": "\#(Self.keys)/sample-city.pub"}]}"#
            .write(toFile: peerConfig, atomically: true, encoding: .utf8)
        cityConfig = scratch.path("\(name)-city.json")
        try #"{"self": {"id": "350200", "private_key": "\#(Self.keys)/sample-city.key"}, "peers": [{"id": "national", "url": "http://127.0.0.1:\#(port)", "public_key": "\#(Self.keys)/sample-national.pub"}]}"#
            .write(toFile: cityConfig, atomically: true, encoding: .utf8)
        log = URL(fileURLWithPath: scratch.path("\(name).log"))
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = CreditCtl.url
        process.arguments = ["national", "serve", "--config", peerConfig, "--store", store, "--port", String(port)]
            + (lists.map { ["--lists", $0] } ?? []) + faults
        process.standardInput = FileHandle.nullDevice
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        for _ in 0..<600 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            guard process.isRunning else { throw ServerError(message: "\(name) exited: \(text)") }
            if text.contains("on http://") { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw ServerError(message: "\(name) did not listen within a minute")
    }

    /// Stops the peer (SIGTERM, then waits for it).
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }
}
