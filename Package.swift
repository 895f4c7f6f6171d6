// swift-tools-version: 6.0
// Keepers: learns which photos are worth keeping. One module per concern; the
// executables under Sources/keepers-* are thin front ends over the libraries.
import PackageDescription

let package = Package(
    name: "Keepers",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "keepers-samples", targets: ["keepers-samples"]),
        .executable(name: "keepers-ingest", targets: ["keepers-ingest"]),
        .executable(name: "keepers-config", targets: ["keepers-config"]),
        .executable(name: "keepers-shard", targets: ["keepers-shard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: C libraries (module maps; shims only for what Swift cannot import)
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),

        // MARK: Libraries
        .target(name: "KeepersCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "KeepersConfig", dependencies: ["KeepersCore", "Yams"]),
        .target(name: "KeepersImaging", dependencies: ["CVips", "KeepersCore", "KeepersConfig"]),
        .target(name: "KeepersIngest", dependencies: ["KeepersCore", "KeepersConfig", "KeepersImaging"]),
        .target(name: "KeepersSamples", dependencies: ["KeepersCore", "KeepersImaging"]),
        .target(name: "KeepersCLI", dependencies: [
            "KeepersCore", "KeepersConfig", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "KeepersHDF5", dependencies: ["CHDF5", "KeepersCore"]),
        .target(name: "KeepersShards", dependencies: ["KeepersHDF5", "KeepersCore", "KeepersConfig", "KeepersImaging"]),

        .target(name: "KeepersMetrics", dependencies: ["KeepersCore"]),
        .target(name: "KeepersCharts", dependencies: ["KeepersCore"]),
        .target(name: "KeepersTestSupport", dependencies: ["KeepersImaging"]),

        // MARK: Executables (argument parsing only)
        .executableTarget(name: "keepers-samples", dependencies: [
            "KeepersSamples", "KeepersCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "keepers-ingest", dependencies: [
            "KeepersIngest", "KeepersCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "keepers-config", dependencies: [
            "KeepersCLI", "KeepersConfig", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "keepers-shard", dependencies: [
            "KeepersShards", "KeepersConfig", "KeepersCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "keepers-bench-shards", dependencies: [
            "KeepersShards", "KeepersConfig", "KeepersImaging",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests
        .testTarget(name: "KeepersCoreTests", dependencies: ["KeepersCore"]),
        .testTarget(name: "KeepersConfigTests", dependencies: ["KeepersConfig"]),
        .testTarget(name: "KeepersImagingTests", dependencies: ["KeepersImaging", "KeepersTestSupport"]),
        .testTarget(name: "KeepersIngestTests", dependencies: ["KeepersIngest", "KeepersImaging", "KeepersTestSupport"]),
        .testTarget(name: "KeepersSamplesTests", dependencies: ["KeepersSamples", "KeepersImaging", "KeepersMetrics"]),
        .testTarget(name: "KeepersMetricsTests", dependencies: ["KeepersMetrics"]),
        .testTarget(name: "KeepersChartsTests", dependencies: ["KeepersCharts"]),
        .testTarget(name: "KeepersHDF5Tests", dependencies: ["KeepersHDF5", "KeepersCore"]),
        .testTarget(name: "KeepersShardsTests", dependencies: ["KeepersShards", "KeepersHDF5", "KeepersCore", "KeepersConfig", "KeepersImaging"]),
    ]
)
