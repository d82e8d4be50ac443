/// The processor and system an exported object is generated for.
///
/// ```swift
/// try Export.model(mlp, name: "moons", to: directory)                       // this machine
/// try Export.model(mlp, name: "moons", to: directory, target: .wasm32)      // a web page
/// try Export.model(mlp, name: "moons", to: directory,
///                  target: .triple("aarch64-unknown-linux-gnu", cpu: "cortex-a72"))
/// ```
///
/// `.host` generates for this machine's processor with all its features (the code runs only on
/// processors that have them); a triple generates for the architecture's baseline CPU
/// (`generic`: SSE2 on x86-64, NEON on AArch64, no SIMD on wasm32) unless a CPU is named.
public enum ExportTarget: Sendable, Hashable, CustomStringConvertible {
    /// This machine: its triple, CPU and every feature it has.
    case host
    /// Any triple the linked LLVM has a backend for, with a CPU name and extra features.
    case triple(String, cpu: String = "generic", features: String = "")

    /// 64-bit x86 Linux (ELF), baseline x86-64.
    public static let x86_64Linux = ExportTarget.triple("x86_64-unknown-linux-gnu")
    /// 64-bit ARM Linux (ELF), baseline AArch64: Raspberry Pi 4 and 5, Graviton, Ampere.
    public static let aarch64Linux = ExportTarget.triple("aarch64-unknown-linux-gnu")
    /// Apple silicon Macs (Mach-O).
    public static let arm64MacOS = ExportTarget.triple("arm64-apple-macosx")
    /// iPhones and iPads (Mach-O).
    public static let arm64IOS = ExportTarget.triple("arm64-apple-ios")
    /// WebAssembly for browsers and runtimes (wasm32 object, linked by `wasm-ld`); no C library
    /// is needed, math functions are emitted into the object.
    public static let wasm32 = ExportTarget.triple("wasm32-unknown-unknown")

    /// `host`, or the triple with its CPU and features.
    public var description: String {
        switch self {
        case .host: "host"
        case .triple(let triple, let cpu, let features):
            [triple, cpu == "generic" ? "" : cpu, features].filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    /// The target description the emitters read.
    ///
    /// - Throws: `JITError.unsupportedTarget` naming a triple the linked LLVM has no backend
    ///   for, or an unknown CPU.
    public func targetDescription() throws -> TargetDescription {
        switch self {
        case .host: try TargetDescription.host()
        case .triple(let triple, let cpu, let features): try TargetDescription(triple: triple, cpu: cpu, features: features)
        }
    }
}
