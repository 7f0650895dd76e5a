import CreditTestSupport
import Foundation

/// Runs the `openssl` command-line tool (the reference the differential tests compare against).
enum OpenSSLTool {
    struct Failure: Error, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var output: String
        var description: String { "openssl \(arguments.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Runs `openssl ARGS`; returns standard output and error together, and the exit status.
    @discardableResult
    static func run(_ arguments: [String], allowFailure: Bool = false) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 && !allowFailure {
            throw Failure(arguments: arguments, status: process.terminationStatus, output: output)
        }
        return (process.terminationStatus, output)
    }

    /// A fresh SM2 key pair in `dir`: `name.key` (PKCS#8 PEM) and `name.pub` (SubjectPublicKeyInfo PEM).
    static func makeKeyPair(in dir: TemporaryDirectory, name: String) throws -> (privatePath: String, publicPath: String) {
        let key = dir.path("\(name).key"), pub = dir.path("\(name).pub")
        try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", key])
        try run(["pkey", "-in", key, "-pubout", "-out", pub])
        return (key, pub)
    }
}
