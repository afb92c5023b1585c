// swift-tools-version: 6.0
import PackageDescription

// Module map: what a reader looks for, and where it lives.
//   NASSupport       Sources/Support       the bottom layer: seeded generators, atomic files, file errors
//   NASArchitecture  Sources/Architecture  layers, shapes, shape inference, analytic costs, JSON format
//   NASStatistics    Sources/Statistics    GSL-backed descriptive statistics, correlation, regression, bootstrap
//   NASMeasurement   Sources/Measurement   real benchmarks: oneDNN host backend, agent protocol, profiling
//   NASPredictors    Sources/Predictors    datasets, features, regressors, per-device bundles, network estimates
//   NASSearch        Sources/Search        search spaces, budgets, objectives, algorithms, runs
//   NASAnalysis      Sources/Analysis      Pareto fronts, indicators, reports and plots
//   NASVerification  Sources/Verification  predicted vs measured: nas verify, nas validate, the speedup study
//   NASCommands      Sources/CLI           the `nas` command line
//   C shims          Sources/CShims/*      thin module maps over Debian's libgsl-dev, libdnnl-dev, libxgboost-dev, zlib
let package = Package(
    name: "nas",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nas", targets: ["nas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", path: "Sources/CShims/CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CDNNL", path: "Sources/CShims/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CXGBoost", path: "Sources/CShims/CXGBoost", pkgConfig: "xgboost", providers: [.apt(["libxgboost-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CShims/CZlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "NASSupport", path: "Sources/Support"),
        .target(name: "NASArchitecture", path: "Sources/Architecture"),
        .target(name: "NASStatistics", dependencies: ["CGSL"], path: "Sources/Statistics"),
        .target(name: "NASMeasurement", dependencies: ["NASSupport", "NASArchitecture", "NASStatistics", "CDNNL"], path: "Sources/Measurement"),
        .target(name: "NASPredictors", dependencies: ["NASSupport", "NASArchitecture", "NASStatistics", "CXGBoost", "CZlib"], path: "Sources/Predictors", resources: [.copy("Resources/bundles")]),
        .target(name: "NASSearch", dependencies: ["NASSupport", "NASArchitecture", "NASPredictors", "NASStatistics"], path: "Sources/Search"),
        .target(name: "NASAnalysis", dependencies: ["NASSupport", "NASArchitecture", "NASStatistics", "NASSearch"], path: "Sources/Analysis"),
        .target(name: "NASVerification", dependencies: ["NASSupport", "NASArchitecture", "NASStatistics", "NASMeasurement", "NASPredictors", "NASSearch", "NASAnalysis"], path: "Sources/Verification"),
        .target(name: "NASCommands", dependencies: [
            "NASSupport", "NASArchitecture", "NASStatistics", "NASMeasurement", "NASPredictors", "NASSearch", "NASAnalysis", "NASVerification",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/CLI"),
        .executableTarget(name: "nas", dependencies: ["NASCommands"], path: "Sources/nas"),
        .executableTarget(name: "bench-predictors", dependencies: ["NASPredictors", "NASArchitecture"], path: "Benchmarks/Predictors"),
        .executableTarget(name: "bench-search", dependencies: ["NASSupport", "NASSearch", "NASPredictors", "NASArchitecture", "NASAnalysis"], path: "Benchmarks/Search"),

        .testTarget(name: "ArchitectureTests", dependencies: ["NASArchitecture"]),
        .testTarget(name: "StatisticsTests", dependencies: ["NASStatistics"]),
        .testTarget(name: "SupportTests", dependencies: ["NASSupport"]),
        .testTarget(name: "MeasurementTests", dependencies: ["NASSupport", "NASMeasurement", "NASArchitecture"]),
        .testTarget(name: "PredictorsTests", dependencies: ["NASSupport", "NASPredictors", "NASArchitecture"]),
        .testTarget(name: "SearchTests", dependencies: ["NASSupport", "NASSearch", "NASPredictors", "NASArchitecture"]),
        .testTarget(name: "AnalysisTests", dependencies: ["NASAnalysis", "NASStatistics"]),
        .testTarget(name: "VerificationTests", dependencies: ["NASVerification", "NASStatistics", "NASMeasurement", "NASPredictors", "NASArchitecture", "NASSupport"]),
        .testTarget(name: "CLITests", dependencies: ["NASCommands"]),
    ]
)
