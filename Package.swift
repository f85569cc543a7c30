// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "cobro",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cobro", targets: ["cobro"]),
        .library(name: "CobroCore", targets: ["CobroCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure domain: money, dates, ledger rules, allocation, aging, statements, KPIs, CSV rows. No I/O, no clock.
        .target(name: "CobroCore", swiftSettings: strict),
        // The system SQLite library (Debian libsqlite3-dev), called directly for speed.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // Schema, migrations and every SQL statement; one code path for SQLite and PostgreSQL.
        .target(
            name: "CobroStore",
            dependencies: [
                "CobroCore", "CSQLite",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strict
        ),
        // Getting messages out: the SMTP client, MIME, the PDF writer (letters, statements), the SMS gateway, the outbox
        // workers.
        .target(
            name: "CobroDelivery",
            dependencies: [
                "CobroCore", "CobroStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // HTTP API, the web app and portal (Mustache pages), webhooks delivery, metrics and the application wiring (buildApplication).
        .target(
            name: "CobroServer",
            dependencies: [
                "CobroCore", "CobroStore", "CobroDelivery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            resources: [.copy("openapi.json"), .copy("Web/Templates")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "cobro",
            dependencies: [
                "CobroCore", "CobroStore", "CobroServer", "CobroFixtures", "CobroDelivery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Deterministic realistic ledgers for the demo, tests and the W1M benchmark (writes CSV through sinks).
        .target(name: "CobroFixtures", dependencies: ["CobroCore"], swiftSettings: strict),
        .testTarget(name: "CobroCoreTests", dependencies: ["CobroCore"]),
        .testTarget(name: "CobroFixturesTests", dependencies: ["CobroCore", "CobroFixtures"]),
        // Shared test fixtures: databases for both engines, the worked example, chunked CSV input.
        .target(name: "CobroTestSupport", dependencies: ["CobroCore", "CobroStore"], path: "Tests/CobroTestSupport"),
        .testTarget(name: "CobroStoreTests", dependencies: ["CobroCore", "CobroStore", "CobroFixtures", "CobroTestSupport"]),
        .testTarget(
            name: "CobroServerTests",
            dependencies: [
                "CobroCore", "CobroStore", "CobroServer", "CobroDelivery", "CobroTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "CobroDeliveryTests", dependencies: ["CobroCore", "CobroStore", "CobroDelivery", "CobroTestSupport"]),
    ]
)
