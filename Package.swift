// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let coreMetrics = Target.Dependency.product(name: "CoreMetrics", package: "swift-metrics")

// Targets, lowest first; each depends only on targets above it (docs/architecture.md).
let package = Package(
    name: "CreditEngine",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "creditctl", targets: ["creditctl"]),
        .library(name: "CreditRegistry", targets: ["CreditRegistry"]),
        .library(name: "RuleEngine", targets: ["RuleEngine"]),
        .library(name: "NationalBridge", targets: ["NationalBridge"]),
        .library(name: "CreditOperations", targets: ["CreditOperations"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Identifiers, Day, the subject/record model, the SQLite store, the audit log.
        .target(
            name: "CreditRegistry",
            dependencies: [grdb, .product(name: "Crypto", package: "swift-crypto"), logging, "CSQLiteSettings"],
            swiftSettings: swiftSettings
        ),
        // Process-wide SQLite settings that only its variadic C configuration call can make.
        .target(
            name: "CSQLiteSettings",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Bureau feeds: the libxml2 streaming reader, the XSDs, mapping and writing.
        .target(
            name: "FeedIngest",
            dependencies: ["CreditRegistry", "CLibXML2", grdb, logging],
            resources: [.copy("Schemas")],
            swiftSettings: swiftSettings
        ),
        // The rule language: pure, no database.
        .target(
            name: "RuleEngine",
            dependencies: ["CreditRegistry"],
            swiftSettings: swiftSettings
        ),
        // Rule sets × registry: versions, materialised decisions, incremental re-evaluation, impact diff.
        .target(
            name: "Decisions",
            dependencies: ["CreditRegistry", "RuleEngine", grdb, logging],
            swiftSettings: swiftSettings
        ),
        // Look-up, report, name search, batch check.
        .target(
            name: "CreditQuery",
            dependencies: ["CreditRegistry", "RuleEngine", "Decisions", grdb],
            swiftSettings: swiftSettings
        ),
        // Every use-case the adapters perform; invariants that span targets live here.
        .target(
            name: "CreditOperations",
            dependencies: ["CreditRegistry", "FeedIngest", "RuleEngine", "Decisions", "CreditQuery", logging, coreMetrics],
            swiftSettings: swiftSettings
        ),
        // The registry on PostgreSQL: schema, migrations, the SQLite-to-PostgreSQL copy, the read path
        // and the audit log behind the same protocols as the SQLite store. Nothing below depends on it.
        .target(
            name: "PostgresStore",
            dependencies: [
                "CreditRegistry", "FeedIngest", "Decisions", "CreditQuery", grdb, logging,
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Feed generators and benchmark data.
        .target(
            name: "CreditSamples",
            dependencies: ["CreditRegistry", "FeedIngest", "Decisions", "CreditQuery", grdb],
            swiftSettings: swiftSettings
        ),
        // SM2 signatures and SM3 digests through the system's OpenSSL 3 libcrypto (a thin C shim).
        .systemLibrary(
            name: "CLibCrypto",
            path: "Sources/CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "SMCrypto",
            dependencies: ["CLibCrypto"],
            swiftSettings: swiftSettings
        ),
        // Adapters: parse, call one operation, render.
        .target(
            name: "NationalBridge",
            dependencies: [
                "CreditRegistry", "FeedIngest", "CreditOperations", "SMCrypto", logging,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CreditService",
            dependencies: [
                "CreditRegistry", "CreditQuery", "CreditOperations",
                .product(name: "Hummingbird", package: "hummingbird"), logging,
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOCore", package: "swift-nio"),
                coreMetrics, .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "creditctl",
            dependencies: [
                "CreditRegistry", "FeedIngest", "RuleEngine", "Decisions", "CreditQuery", "CreditOperations",
                "NationalBridge", "CreditService", "CreditSamples", "PostgresStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), logging,
            ],
            swiftSettings: swiftSettings
        ),
        // Helpers shared by the test targets (temporary directories removed after each test).
        .target(name: "CreditTestSupport", dependencies: [grdb], path: "Tests/CreditTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "CreditRegistryTests",
            dependencies: ["CreditTestSupport", "CreditRegistry", grdb],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FeedIngestTests",
            dependencies: ["CreditTestSupport", "FeedIngest", "CLibXML2", "CreditRegistry", "CreditQuery", "Decisions", "CreditSamples", grdb],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CreditQueryTests",
            // creditctl: the report renderer's escaping tests run on reports these tests build.
            dependencies: ["CreditTestSupport", "CreditQuery", "CreditRegistry", "Decisions", "creditctl", grdb],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RuleEngineTests",
            dependencies: ["CreditTestSupport", "RuleEngine", "CreditRegistry"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CreditOperationsTests",
            dependencies: ["CreditTestSupport", "CreditOperations", "NationalBridge", "CreditRegistry", "FeedIngest", "RuleEngine", "Decisions", "CreditQuery", grdb, logging,
                           coreMetrics, .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NationalBridgeTests",
            // creditctl: the crash tests run the real binary.
            dependencies: ["CreditTestSupport", "NationalBridge", "SMCrypto", "CreditOperations", "creditctl", "CreditRegistry", "FeedIngest", "Decisions", grdb, logging],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CreditServiceTests",
            // creditctl: the suites on PostgreSQL open the registry with the factory `serve` uses.
            dependencies: ["CreditTestSupport", "creditctl", logging,
                "CreditService", "CreditOperations", "CreditRegistry", "RuleEngine", "NationalBridge",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresStoreTests",
            // creditctl: the copy and the two-server tests run the real binary.
            dependencies: ["CreditTestSupport", "PostgresStore", "CreditOperations", "CreditQuery", "CreditRegistry", "Decisions", "FeedIngest", "creditctl", grdb,
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CreditCtlTests",
            dependencies: ["CreditTestSupport", "creditctl", "CreditRegistry"],
            swiftSettings: swiftSettings
        ),
    ]
)
