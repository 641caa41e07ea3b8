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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        // The domain: catalogs, crosswalks, assessments, scoring. Pure Swift + Foundation value types.
        .target(
            name: "TekigoCore",
            resources: [.copy("Resources/catalogs")]
        ),
        // OSCAL models and codecs.
        .target(name: "TekigoOSCAL", dependencies: ["TekigoCore"]),
        // Human-readable exports: Markdown, self-contained HTML with inline SVG charts, CSV and .xlsx.
        .target(
            name: "TekigoReports",
            dependencies: ["TekigoCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // Persistence behind small protocols (SQLite through SQLKit).
        .target(
            name: "TekigoStore",
            dependencies: [
                "TekigoCore", "TekigoOSCAL",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "tekigo",
            dependencies: [
                "TekigoCore", "TekigoOSCAL", "TekigoStore", "TekigoReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // Locating ../shared/data, the validators' virtualenv and the built binary, for every test target.
        .target(name: "TekigoTestSupport", dependencies: ["TekigoCore"], path: "Tests/TekigoTestSupport"),
        .testTarget(name: "TekigoReportsTests", dependencies: ["TekigoReports", "TekigoCore", "TekigoTestSupport"]),
        .testTarget(name: "TekigoCoreTests", dependencies: ["TekigoCore", "TekigoTestSupport"]),
        .testTarget(name: "TekigoOSCALTests", dependencies: ["TekigoOSCAL", "TekigoCore", "TekigoTestSupport"]),
        .testTarget(name: "TekigoStoreTests", dependencies: ["TekigoStore", "TekigoOSCAL", "TekigoCore", "TekigoTestSupport"]),
        .testTarget(name: "tekigoTests", dependencies: ["tekigo", "TekigoTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
