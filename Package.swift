// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Tekigo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tekigo", targets: ["tekigo"]),
        .library(name: "TekigoCore", targets: ["TekigoCore"]),
        .library(name: "TekigoOSCAL", targets: ["TekigoOSCAL"]),
        .library(name: "TekigoStore", targets: ["TekigoStore"]),
        .library(name: "TekigoAttestation", targets: ["TekigoAttestation"]),
        .library(name: "TekigoWorkspace", targets: ["TekigoWorkspace"]),
        .library(name: "TekigoSTIX", targets: ["TekigoSTIX"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // STARTTLS for the invitation e-mail's small SMTP client (TekigoServer/Mail); already in the graph via postgres-nio.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // The domain: catalogs, crosswalks, assessments, scoring. Pure Swift + Foundation value types.
        .target(
            name: "TekigoCore",
            resources: [.copy("Resources/catalogs"), .copy("Resources/incidents"), .copy("Resources/guidance")]
        ),
        // OSCAL models and codecs.
        .target(name: "TekigoOSCAL", dependencies: ["TekigoCore"]),
        // STIX 2.1: value types, an incident as a bundle (Incident Core extension, TLP 2.0) and incidents read back.
        // Pure Swift + Foundation on the domain, like TekigoOSCAL (docs/ARCHITECTURE.md).
        .target(name: "TekigoSTIX", dependencies: ["TekigoCore"]),
        // A QR code encoder of our own (byte mode, level M, SVG output) for the authenticator enrolment page. Pure: no
        // I/O, no dependencies (issue 17 item 6; why no library: Sources/TekigoQR/QRCode.swift).
        .target(name: "TekigoQR"),
        // Human-readable exports: Markdown, self-contained HTML with inline SVG charts, CSV and .xlsx.
        .target(
            name: "TekigoReports",
            dependencies: ["TekigoCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // Signed attestations: the exported file, Ed25519 signing and offline verification (a strict JSON reader).
        // Pure (no I/O); apart from TekigoCore so the domain stays free of swift-crypto (docs/ARCHITECTURE.md).
        .target(
            name: "TekigoAttestation",
            dependencies: ["TekigoCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The assessment folder ("assessment as code"): tekigo.yaml, findings.yaml, poam.yaml read and written with Yams.
        .target(
            name: "TekigoWorkspace",
            dependencies: ["TekigoCore", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Persistence behind small protocols (SQLite and PostgreSQL through SQLKit).
        .target(
            name: "TekigoStore",
            dependencies: [
                "TekigoCore", "TekigoOSCAL", "TekigoAttestation",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The use-case layer: every state-changing operation once (its rule, its transaction, its typed audit entry),
        // called by the routes, the pages and the command line. Knows neither HTTP nor the command line.
        .target(
            name: "TekigoUseCases",
            dependencies: [
                // TekigoReports and TekigoSTIX are pure renderers: the incident exports are made here once for the
                // API, the pages and the command line (IncidentExports).
                "TekigoCore", "TekigoStore", "TekigoOSCAL", "TekigoReports", "TekigoSTIX",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [.copy("Resources/common-passwords.txt")]
        ),
        // HTTP: JSON API, pages, auth, sessions, audit. Built by `buildApplication(_:)`.
        .target(
            name: "TekigoServer",
            dependencies: [
                "TekigoCore", "TekigoOSCAL", "TekigoStore", "TekigoReports", "TekigoUseCases", "TekigoSTIX", "TekigoQR",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/web")]
        ),
        .executableTarget(
            name: "tekigo",
            dependencies: [
                "TekigoCore", "TekigoOSCAL", "TekigoStore", "TekigoReports", "TekigoServer", "TekigoUseCases",
                "TekigoAttestation", "TekigoWorkspace", "TekigoSTIX",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // A test tool, not a product: writes transactions until killed, for tekigoTests' crash-consistency test. It is
        // built with the tests (tekigoTests depends on it) and never shipped in the `tekigo` binary.
        .executableTarget(
            name: "tekigo-crash-writer",
            dependencies: ["TekigoCore", "TekigoStore",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tests/CrashWriter"
        ),
        // Locating ../shared/data, the validators' virtualenv and the built binary, for every test target.
        .target(name: "TekigoTestSupport", dependencies: ["TekigoCore", "TekigoStore"], path: "Tests/TekigoTestSupport"),
        .testTarget(name: "TekigoReportsTests", dependencies: ["TekigoReports", "TekigoCore", "TekigoTestSupport"]),
        .testTarget(name: "TekigoCoreTests", dependencies: ["TekigoCore", "TekigoTestSupport"]),
        .testTarget(name: "TekigoOSCALTests", dependencies: ["TekigoOSCAL", "TekigoCore", "TekigoTestSupport"]),
        .testTarget(name: "TekigoQRTests", dependencies: ["TekigoQR", "TekigoUseCases", "TekigoTestSupport"]),
        .testTarget(name: "TekigoSTIXTests", dependencies: ["TekigoSTIX", "TekigoCore", "TekigoTestSupport"]),
        .testTarget(name: "TekigoStoreTests", dependencies: ["TekigoStore", "TekigoAttestation", "TekigoOSCAL", "TekigoCore",
                                                      "TekigoTestSupport"]),
        .testTarget(name: "tekigoTests", dependencies: ["tekigo", "tekigo-crash-writer", "TekigoTestSupport"]),
        .testTarget(
            name: "TekigoServerTests",
            dependencies: ["TekigoServer", "TekigoUseCases", "TekigoStore", "TekigoAttestation", "TekigoCore", "TekigoTestSupport",
                           "TekigoWorkspace",
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                           .product(name: "Yams", package: "Yams")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
