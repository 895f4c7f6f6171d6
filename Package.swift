// swift-tools-version: 6.0
// Keepers: learns which photos are worth keeping. One module per concern; the
// executables under Sources/keepers-* are thin front ends over the libraries.
import PackageDescription

let package = Package(
    name: "Keepers",
    platforms: [.macOS(.v14)],
    products: [
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
        .target(name: "KeepersNetwork", dependencies: ["CDNNL", "KeepersCore", "KeepersConfig"]),


        // MARK: Tests
        .testTarget(name: "KeepersCoreTests", dependencies: ["KeepersCore"]),
        .testTarget(name: "KeepersConfigTests", dependencies: ["KeepersConfig"]),
        .testTarget(name: "KeepersNetworkTests", dependencies: ["KeepersNetwork"]),

        // MARK: Benchmarks (apart from tests)
        .executableTarget(name: "keepers-bench-network", dependencies: ["KeepersNetwork", "KeepersConfig", "KeepersCore"]),
    ]
)
