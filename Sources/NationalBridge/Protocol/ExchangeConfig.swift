import Foundation
import SMCrypto

/// This platform's identity: its id, its SM2 private key and user id.
public struct ExchangeIdentity: Sendable {
    public var id: String
    public var key: SM2PrivateKey
    public var userID: String
    public init(id: String, key: SM2PrivateKey, userID: String = SM2UserID.default) { self.id = id; self.key = key; self.userID = userID }
}

/// A platform this one exchanges with: how to reach it and the key its messages are signed with.
public struct ExchangePeer: Sendable {
    public var id: String
    public var url: String?
    public var dropDirectory: String?
    public var publicKey: SM2PublicKey
    public var userID: String
    public init(id: String, url: String?, dropDirectory: String?, publicKey: SM2PublicKey, userID: String = SM2UserID.default) {
        self.id = id; self.url = url; self.dropDirectory = dropDirectory; self.publicKey = publicKey; self.userID = userID
    }
}

/// The public keys of the known platforms, by id.
public struct PeerDirectory: Sendable {
    private let peers: [String: ExchangePeer]
    public init(_ peers: [ExchangePeer]) { self.peers = Dictionary(peers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
    public func peer(_ id: String) -> ExchangePeer? { peers[id] }
    public var all: [ExchangePeer] { peers.values.sorted { $0.id < $1.id } }
}

/// The exchange configuration file (docs/exchange.md, "Configuration").
public struct ExchangeConfig: Sendable {
    public var identity: ExchangeIdentity
    public var peers: PeerDirectory

    public init(identity: ExchangeIdentity, peers: PeerDirectory) { self.identity = identity; self.peers = peers }

    struct File: Decodable {
        struct Own: Decodable { var id: String; var privateKey: String; var userId: String? }
        struct Peer: Decodable { var id: String; var url: String?; var dropDirectory: String?; var publicKey: String; var userId: String? }
        var own: Own
        enum CodingKeys: String, CodingKey { case own = "self", peers }
        var peers: [Peer]
    }

    /// Reads a configuration file; paths in it are relative to the file's directory.
    public static func load(path: String) throws -> ExchangeConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ExchangeConfigError(file: path, reason: "cannot read the file") }
        let file: File
        do {
            let d = JSONDecoder()
            d.keyDecodingStrategy = .convertFromSnakeCase
            file = try d.decode(File.self, from: data)
        } catch {
            throw ExchangeConfigError(file: path, reason: "not a configuration {self: {id, private_key}, peers: [{id, url | drop_directory, public_key}]}: \(error)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).path }
        func text(_ p: String, _ what: String) throws -> String {
            guard let d = FileManager.default.contents(atPath: resolve(p)) else { throw ExchangeConfigError(file: path, reason: "\(what): cannot read \(resolve(p))") }
            return String(decoding: d, as: UTF8.self)
        }
        let key: SM2PrivateKey
        do { key = try SM2PrivateKey(pem: try text(file.own.privateKey, "self.private_key")) } catch let e as SM2Error {
            throw ExchangeConfigError(file: path, reason: "self.private_key \(resolve(file.own.privateKey)): \(e)")
        }
        var peers: [ExchangePeer] = []
        for p in file.peers {
            guard (p.url == nil) != (p.dropDirectory == nil) else {
                throw ExchangeConfigError(file: path, reason: "peer \(p.id): give exactly one of url and drop_directory")
            }
            let pub: SM2PublicKey
            do { pub = try SM2PublicKey(pem: try text(p.publicKey, "peer \(p.id) public_key")) } catch let e as SM2Error {
                throw ExchangeConfigError(file: path, reason: "peer \(p.id) public_key \(resolve(p.publicKey)): \(e)")
            }
            peers.append(ExchangePeer(id: p.id, url: p.url, dropDirectory: p.dropDirectory.map(resolve), publicKey: pub,
                                      userID: p.userId ?? SM2UserID.default))
        }
        return ExchangeConfig(identity: ExchangeIdentity(id: file.own.id, key: key, userID: file.own.userId ?? SM2UserID.default),
                              peers: PeerDirectory(peers))
    }
}

/// A configuration file that cannot be used.
public struct ExchangeConfigError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}
