// swift-tools-version: 6.0
// Keepers: learns which photos are worth keeping. One module per concern; the
// executables under Sources/keepers-* are thin front ends over the libraries.
import PackageDescription

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "Keepers",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "keepers-samples", targets: ["keepers-samples"]),
        .executable(name: "keepers-ingest", targets: ["keepers-ingest"]),
        .executable(name: "keepers-shard", targets: ["keepers-shard"]),
        .executable(name: "keepers-train", targets: ["keepers-train"]),
        .executable(name: "keepers-report", targets: ["keepers-report"]),
        .executable(name: "keepers-predict", targets: ["keepers-predict"]),
        .executable(name: "keepers-config", targets: ["keepers-config"]),
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
        .systemLibrary(name: "CRaw", providers: [.apt(["libraw-dev"])]),
        .systemLibrary(name: "CExempi", pkgConfig: "exempi-2.0", providers: [.apt(["libexempi-dev"])]),

        // MARK: Libraries
        .target(name: "KeepersCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "KeepersConfig", dependencies: ["KeepersCore", "Yams"]),
        // The C wrappers (KeepersImaging, KeepersNetwork, KeepersHDF5, KeepersXMP)
        // take plain values from KeepersCore, never the config reader.
        .target(name: "KeepersImaging", dependencies: ["CVips", "CRaw", "KeepersCore"]),
        .target(name: "KeepersXMP", dependencies: ["CExempi", "KeepersCore"]),
        .target(name: "KeepersGroups", dependencies: ["KeepersCore"]),
        .target(name: "KeepersIngest", dependencies: [
            "KeepersCore", "KeepersImaging", "KeepersXMP", "KeepersGroups", "KeepersBackbone",
        ]),
        .target(name: "KeepersSamples", dependencies: ["KeepersCore", "KeepersImaging"]),
        .target(name: "KeepersHDF5", dependencies: ["CHDF5", "KeepersCore"]),
        .target(name: "KeepersShards", dependencies: ["KeepersHDF5", "KeepersCore", "KeepersImaging"]),
        .target(name: "KeepersNetwork", dependencies: ["CDNNL", "KeepersCore"]),
        // A pretrained backbone (docs/backbone.md): its weights file, input normalisation and features.
        .target(name: "KeepersBackbone", dependencies: ["KeepersNetwork", "KeepersHDF5", "KeepersCore"]),
        .target(name: "KeepersMetrics", dependencies: ["KeepersCore"]),
        .target(name: "KeepersCharts", dependencies: ["KeepersCore"]),
        // The model contract below the stages: model.h5 (reading, writing,
        // metadata, identity checks) and scoring a split from the shards, for
        // training, predict and the report alike.
        .target(name: "KeepersModel", dependencies: [
            "KeepersNetwork", "KeepersShards", "KeepersHDF5", "KeepersCore", "KeepersMetrics",
        ]),
        .target(name: "KeepersTraining", dependencies: [
            "KeepersModel", "KeepersNetwork", "KeepersShards", "KeepersHDF5", "KeepersCore", "KeepersMetrics",
        ]),
        // Culling pages and the reasons behind low scores (docs/formats.md), for predict and the report.
        .target(name: "KeepersCulling", dependencies: ["KeepersNetwork", "KeepersImaging", "KeepersCore"]),
        .target(name: "KeepersScoring", dependencies: [
            "KeepersCulling", "KeepersModel", "KeepersNetwork", "KeepersShards", "KeepersImaging", "KeepersMetrics", "KeepersCore",
            "KeepersXMP", "KeepersGroups", "KeepersBackbone",
        ]),
        .target(name: "KeepersCLI", dependencies: ["KeepersCore", "KeepersConfig", argumentParser]),
        .target(name: "KeepersTestSupport", dependencies: ["KeepersImaging", "KeepersCore", "KeepersNetwork", "KeepersModel"]),
        // The report stage scores the test split (KeepersModel) and renders the page.
        .target(name: "KeepersReport", dependencies: [
            "KeepersCore", "KeepersImaging", "KeepersMetrics", "KeepersCharts",
            "KeepersModel", "KeepersShards", "KeepersCulling",
        ]),

        // MARK: Executables (argument parsing only)
        .executableTarget(name: "keepers-samples", dependencies: ["KeepersSamples", "KeepersCLI", argumentParser]),
        .executableTarget(name: "keepers-ingest", dependencies: ["KeepersIngest", "KeepersCLI", argumentParser]),
        .executableTarget(name: "keepers-shard", dependencies: ["KeepersShards", "KeepersCLI", argumentParser]),
        .executableTarget(name: "keepers-train", dependencies: ["KeepersTraining", "KeepersCLI", argumentParser]),
        .executableTarget(name: "keepers-report", dependencies: ["KeepersReport", "KeepersCLI", argumentParser]),
        .executableTarget(name: "keepers-predict", dependencies: ["KeepersScoring", "KeepersXMP", "KeepersCLI", argumentParser]),
        .executableTarget(name: "keepers-config", dependencies: ["KeepersCLI", "KeepersConfig", argumentParser]),

        // MARK: Benchmarks (apart from tests)
        .executableTarget(name: "keepers-bench-shards", dependencies: [
            "KeepersShards", "KeepersConfig", "KeepersImaging", argumentParser,
        ]),
        .executableTarget(name: "keepers-bench-backbone", dependencies: ["KeepersBackbone", argumentParser]),
        .executableTarget(name: "keepers-bench-network", dependencies: [
            "KeepersNetwork", "KeepersCore", argumentParser,
        ]),
        .executableTarget(name: "keepers-bench-groups", dependencies: ["KeepersGroups", "KeepersCore", argumentParser]),

        // MARK: Tests
        .testTarget(name: "KeepersCoreTests", dependencies: ["KeepersCore", "KeepersTestSupport"]),
        .testTarget(name: "KeepersConfigTests", dependencies: ["KeepersConfig"]),
        .testTarget(name: "KeepersImagingTests", dependencies: ["KeepersImaging", "KeepersCore", "KeepersTestSupport"]),
        .testTarget(name: "KeepersIngestTests", dependencies: ["KeepersIngest", "KeepersImaging", "KeepersTestSupport"]),
        .testTarget(name: "KeepersSamplesTests", dependencies: ["KeepersSamples", "KeepersImaging", "KeepersMetrics", "KeepersGroups", "KeepersCore"]),
        .testTarget(name: "KeepersHDF5Tests", dependencies: ["KeepersHDF5", "KeepersCore"]),
        .testTarget(name: "KeepersShardsTests", dependencies: [
            "KeepersShards", "KeepersHDF5", "KeepersCore", "KeepersConfig", "KeepersImaging", "KeepersTestSupport",
        ]),
        .testTarget(name: "KeepersNetworkTests", dependencies: ["KeepersNetwork", "KeepersCore", "KeepersTestSupport"]),
        .testTarget(name: "KeepersTrainingTests", dependencies: [
            "KeepersTraining", "KeepersModel", "KeepersShards", "KeepersHDF5", "KeepersTestSupport", "KeepersImaging", "KeepersConfig",
            "KeepersCore",
        ]),
        .testTarget(name: "KeepersScoringTests", dependencies: [
            "KeepersScoring", "KeepersModel", "KeepersTraining", "KeepersIngest", "KeepersShards", "KeepersNetwork", "KeepersTestSupport",
            "KeepersImaging", "KeepersConfig", "KeepersCore", "KeepersXMP",
        ]),
        .testTarget(name: "KeepersBackboneTests", dependencies: [
            "KeepersBackbone", "KeepersNetwork", "KeepersHDF5", "KeepersImaging", "KeepersCore", "KeepersTestSupport",
        ]),
        .testTarget(name: "KeepersMetricsTests", dependencies: ["KeepersMetrics"]),
        .testTarget(name: "KeepersGroupsTests", dependencies: ["KeepersGroups", "KeepersCore", "KeepersImaging", "KeepersTestSupport"]),
        .testTarget(name: "KeepersChartsTests", dependencies: ["KeepersCharts", "KeepersTestSupport"]),
        .testTarget(name: "KeepersXMPTests", dependencies: ["KeepersXMP", "KeepersCore", "KeepersTestSupport"]),
        .testTarget(name: "KeepersCullingTests", dependencies: [
            "KeepersCulling", "KeepersScoring", "KeepersModel", "KeepersNetwork", "KeepersImaging", "KeepersCore",
            "KeepersTestSupport",
        ]),
        .testTarget(name: "KeepersReportTests", dependencies: ["KeepersReport", "KeepersCulling", "KeepersImaging", "KeepersCore", "KeepersTestSupport"]),
    ]
)
