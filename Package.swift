// swift-tools-version: 6.1
// Micrograd: a scalar reverse-mode autograd engine, a small neural-network library on it, and a
// JIT that lowers its graphs to LLVM IR and runs them as native code (ORC LLJIT).
import PackageDescription

let package = Package(
    name: "Micrograd",
    products: [
        .library(name: "Micrograd", targets: ["Micrograd"]),
        .library(name: "JIT", targets: ["JIT"]),
        .executable(name: "mgrad", targets: ["mgrad"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        // `swift package generate-documentation` (DocC catalogs under Sources/*/*.docc; scripts/docs).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // A WebAssembly runtime: the JIT tests run the wasm32 export (ExportWasmTests).
        .package(url: "https://github.com/swiftwasm/WasmKit", from: "0.4.2"),
    ],
    targets: [
        // The LLVM C API, found through pkg-config (`cllvm.pc`, written by scripts/write-cllvm-pc).
        .systemLibrary(
            name: "CLLVM",
            pkgConfig: "cllvm",
            providers: [.apt(["llvm-14-dev", "llvm-19-dev"])]
        ),
        // The CUDA driver API, opened at run time with dlopen("libcuda.so.1"): no toolkit needed to build.
        .target(name: "CCUDA", linkerSettings: [.linkedLibrary("dl")]),
        // Engine, NN, training and tracing: pure Swift, no LLVM.
        // Data it ships (the moons fixture) is compiled in as generated source: no resource bundle.
        .target(name: "Micrograd"),
        // Lowering of Value graphs and MLPs to LLVM IR, and the LLJIT runtime.
        .target(name: "JIT", dependencies: ["Micrograd", "CLLVM", "CCUDA"]),
        .executableTarget(
            name: "mgrad",
            dependencies: [
                "Micrograd", "JIT",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "ReadmeExpression", dependencies: ["Micrograd"], path: "Examples/ReadmeExpression"),
        .executableTarget(name: "Neuron", dependencies: ["Micrograd"], path: "Examples/Neuron"),
        .executableTarget(name: "TwoMoons", dependencies: ["Micrograd"], path: "Examples/TwoMoons"),
        .executableTarget(name: "XOR", dependencies: ["Micrograd"], path: "Examples/XOR"),
        .executableTarget(name: "JITDemo", dependencies: ["Micrograd", "JIT"], path: "Examples/JITDemo"),
        .executableTarget(name: "Tour", dependencies: ["Micrograd", "JIT"], path: "Examples/Tour"),
        .target(name: "TestSupport", dependencies: ["Micrograd"], path: "Tests/TestSupport"),
        .testTarget(
            name: "MicrogradTests",
            dependencies: [
                "Micrograd", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "JITTests",
            dependencies: [
                "Micrograd", "JIT", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "WasmKit", package: "WasmKit"),
            ]
        ),
    ]
)
