// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "CreditEngine",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "creditctl", targets: ["creditctl"]),
        .library(name: "CreditRegistry", targets: ["CreditRegistry"]),
        .library(name: "RuleEngine", targets: ["RuleEngine"]),
        .library(name: "NationalBridge", targets: ["NationalBridge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "CreditRegistry",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                "CLibXML2",
            ],
            resources: [.copy("Schemas")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RuleEngine",
            dependencies: ["CreditRegistry", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NationalBridge",
            dependencies: ["CreditRegistry", "RuleEngine"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CreditService",
            dependencies: [
                "CreditRegistry", "RuleEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "creditctl",
            dependencies: [
                "CreditRegistry", "RuleEngine", "NationalBridge", "CreditService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CreditRegistryTests",
            dependencies: ["CreditRegistry", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RuleEngineTests",
            dependencies: ["RuleEngine", "CreditRegistry", "NationalBridge", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CreditServiceTests",
            dependencies: [
                "CreditService", "CreditRegistry", "RuleEngine", "NationalBridge",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CreditCtlTests",
            dependencies: ["CreditRegistry"],
            swiftSettings: swiftSettings
        ),
    ]
)
