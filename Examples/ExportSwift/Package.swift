// swift-tools-version: 5.9
// A Swift program that uses a model exported by `mgrad export`, without LLVM or micrograd:
//
//   mgrad export moons --out Sources/moons          # moons.o, moons.h, module.modulemap
//   swift run -Xlinker Sources/moons/moons.o classify points.txt
//
// `moons` is a system-library target: its module.modulemap (written by the export) makes the
// header importable; the object itself goes to the linker (-Xlinker), the math library through
// the module map's `link "m"`.
import PackageDescription

let package = Package(
    name: "ExportSwift",
    targets: [
        .systemLibrary(name: "moons", path: "Sources/moons"),
        .executableTarget(name: "classify", dependencies: ["moons"], path: "Sources/classify"),
    ]
)
