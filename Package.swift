// swift-tools-version:6.1
import PackageDescription

// Layers point down only (docs/ARCHITECTURE.md):
//   CLI → Episode → Recording / Scenarios → World → Base
//   CLI → Rollout → Episode, Grading
//   CLI → Grading → Recording / Scenarios
//                 → Shell → World, CSandbox (C, Sandbox/)
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Terrarium",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "terrarium", targets: ["TerrariumCLI"]),
        .executable(name: "terrarium-bench", targets: ["TerrariumBench"]),
        .executable(name: "terrarium-sandbox", targets: ["TerrariumShellHelper"]),
        .library(name: "Terrarium", targets: ["TerrariumEpisode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // HTTP server for `terrarium serve` (Sources/Server only); traits off to build less.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        // Canonical JSON, digests, virtual time formatting: no I/O.
        .target(name: "TerrariumBase", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                path: "Sources/Base", swiftSettings: strict),
        // The company as pure values: directory, mail, files, clock.
        .target(name: "TerrariumWorld", dependencies: ["TerrariumBase"],
                path: "Sources/World", swiftSettings: strict),
        // Event log, blob store, reconstruction and verification.
        .target(name: "TerrariumRecording", dependencies: ["TerrariumWorld"],
                path: "Sources/Recording", swiftSettings: strict),
        // scenario.yaml (+ .eml, files/) → an initial World.
        .target(name: "TerrariumScenarios", dependencies: ["TerrariumWorld", "Yams"],
                path: "Sources/Scenarios", swiftSettings: strict),
        // Grading predicates evaluated over a recorded episode (its directory alone).
        .target(name: "TerrariumGrading", dependencies: ["TerrariumRecording", "TerrariumScenarios"],
                path: "Sources/Grading", swiftSettings: strict),
        // The kernel-confined launcher (Linux; see Sandbox/README.md).
        .target(name: "CSandbox", path: "Sandbox/CSandbox", linkerSettings: [.linkedLibrary("seccomp")]),
        // The shell supervisor: sandbox set-up, workspace on disk, change detection.
        // Knows worlds, not episodes or recording.
        .target(name: "TerrariumShell", dependencies: ["CSandbox", "TerrariumWorld"],
                path: "Sources/Shell", swiftSettings: strict),
        // The small launcher process that makes every cs_spawn (Sources/Shell/SandboxHelper.swift says why).
        .executableTarget(name: "TerrariumShellHelper", dependencies: ["CSandbox"], path: "Sources/ShellHelper"),
        // Importers: another project's scenario text → our scenario.yaml (Sources/Import).
        .target(name: "TerrariumImport", dependencies: ["TerrariumBase"], path: "Sources/Import", swiftSettings: strict),
        // A live episode: world + recorder + tools.
        .target(name: "TerrariumEpisode", dependencies: ["TerrariumRecording", "TerrariumScenarios", "TerrariumShell"],
                path: "Sources/Episode", swiftSettings: strict),
        // MCP (JSON-RPC) core, episode registry, shell gate, live grading: transport-independent.
        .target(name: "TerrariumHosting", dependencies: ["TerrariumEpisode", "TerrariumGrading"],
                path: "Sources/Hosting", swiftSettings: strict),
        // `terrarium serve`: the HTTP episode API and MCP over streamable HTTP.
        .target(name: "TerrariumServer", dependencies: [
            "TerrariumHosting", .product(name: "Hummingbird", package: "hummingbird"),
        ], path: "Sources/Server", swiftSettings: strict),
        // Rollouts with real models: providers, the loop, runs, outcomes, statistics, report.
        .target(name: "TerrariumRollout", dependencies: ["TerrariumEpisode", "TerrariumGrading"],
                path: "Sources/Rollout", swiftSettings: strict),
        .executableTarget(name: "TerrariumCLI", dependencies: [
            "TerrariumEpisode", "TerrariumGrading", "TerrariumImport", "TerrariumHosting", "TerrariumServer",
            "TerrariumRollout",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/CLI", swiftSettings: strict),
        .executableTarget(name: "TerrariumBench", dependencies: ["TerrariumEpisode", "TerrariumGrading", "TerrariumServer",
                                                                "TerrariumRollout"],
                          path: "Sources/Bench", swiftSettings: strict),

        .testTarget(name: "BaseTests", dependencies: ["TerrariumBase"], path: "Tests/BaseTests"),
        .testTarget(name: "WorldTests", dependencies: ["TerrariumWorld"], path: "Tests/WorldTests"),
        .testTarget(name: "RecordingTests", dependencies: ["TerrariumRecording", "TerrariumEpisode"],
                    path: "Tests/RecordingTests"),
        .testTarget(name: "ScenarioTests", dependencies: ["TerrariumScenarios", "Yams"], path: "Tests/ScenarioTests"),
        .testTarget(name: "EpisodeTests", dependencies: ["TerrariumEpisode"], path: "Tests/EpisodeTests"),
        .testTarget(name: "ShellTests", dependencies: ["TerrariumEpisode", "TerrariumShell", "TerrariumCLI"],
                    path: "Tests/ShellTests"),
        .testTarget(name: "ImportTests", dependencies: ["TerrariumImport", "TerrariumScenarios", "TerrariumEpisode", "Yams"],
                    path: "Tests/ImportTests", exclude: ["Reference"]),
        .testTarget(name: "HostingTests", dependencies: ["TerrariumHosting", "TerrariumServer", "TerrariumCLI"],
                    path: "Tests/HostingTests"),
        .testTarget(name: "CLITests", dependencies: ["TerrariumEpisode", "TerrariumCLI"], path: "Tests/CLITests"),
        .testTarget(name: "RolloutTests", dependencies: ["TerrariumRollout", "TerrariumServer", "TerrariumCLI"],
                    path: "Tests/RolloutTests"),
        .testTarget(name: "GradingTests", dependencies: ["TerrariumGrading", "TerrariumEpisode"], path: "Tests/GradingTests",
                    exclude: ["Fixtures"]),
    ]
)
