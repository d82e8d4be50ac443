internal import CLLVM

/// One-time registration of LLVM's NVPTX backend (target info, target, MC layer, PTX printer).
///
/// NOTE: a global `let`, so it runs once under `swift_once`; the `LLVMInitializeNVPTX*`
/// functions come from `llvm-c/Target.h` (one per target of `llvm/Config/Targets.def`), which
/// Debian's LLVM 14 and 19 both build with NVPTX.
private let nvptxInitialization: Void = {
    LLVMInitializeNVPTXTargetInfo()
    LLVMInitializeNVPTXTarget()
    LLVMInitializeNVPTXTargetMC()
    LLVMInitializeNVPTXAsmPrinter()
}()

/// Registers the NVPTX backend once per process.
func initializeNVPTXTarget() { nvptxInitialization }

extension TargetDescription {
    /// The triple of 64-bit CUDA PTX.
    public static let nvptxTriple = "nvptx64-nvidia-cuda"

    /// The NVIDIA architectures this LLVM generates PTX for, with the PTX ISA feature each needs,
    /// oldest first: sm_80 (Ampere, PTX 7.0) everywhere; sm_86 (PTX 7.1); sm_89 and sm_90
    /// (Ada, Hopper; PTX 7.8) from LLVM 17.
    static var knownGPUs: [(major: Int, minor: Int, features: String)] {
        var known = [(8, 0, "+ptx70"), (8, 6, "+ptx71")]
        if LLVMVersion.major >= 17 { known += [(8, 9, "+ptx78"), (9, 0, "+ptx78")] }
        return known.map { (major: $0.0, minor: $0.1, features: $0.2) }
    }

    /// PTX for an NVIDIA GPU: `nvptx64-nvidia-cuda`, the newest architecture this LLVM knows
    /// that a device of `computeCapability` runs, `sm_80` (PTX 7.0) when none is given.
    ///
    /// The driver compiles PTX for the device it loads on, so PTX for an older architecture runs
    /// on newer GPUs (sm_80 PTX on an H200, as measured).
    ///
    /// - Throws: `JITError.unsupportedTarget` for a device older than sm_80.
    public static func nvptx(computeCapability: (major: Int, minor: Int)? = nil) throws -> TargetDescription {
        let wanted = computeCapability ?? (8, 0)
        guard let chosen = knownGPUs.last(where: { ($0.major, $0.minor) <= (wanted.major, wanted.minor) }) else {
            throw JITError.unsupportedTarget(
                "compute capability \(wanted.major).\(wanted.minor): the GPU backend generates code for sm_80 and newer")
        }
        initializeNVPTXTarget()
        // NOTE: vector fields are unused by the GPU emitters (one thread per sample, scalars).
        let capabilities = Capabilities(vectorBits: 64, hasFMA: true, vectorRegisters: 255)
        return TargetDescription(
            triple: nvptxTriple, cpu: "sm_\(chosen.major)\(chosen.minor)", features: chosen.features,
            capabilities: capabilities, hasSystemMath: false)
    }

    /// Whether this describes a GPU (the NVPTX triple).
    public var isGPU: Bool { triple.hasPrefix("nvptx") }
}

extension TargetMachine {
    /// A target machine generating PTX for `target` (an `nvptx(computeCapability:)` description).
    init(gpu target: TargetDescription, optimization level: JITOptions.OptimizationLevel) throws {
        initializeNVPTXTarget()
        try self.init(for: target, optimization: level)
    }

    /// PTX assembly text for `module` (`LLVMTargetMachineEmitToMemoryBuffer` with `LLVMAssemblyFile`).
    func emitAssembly(_ module: borrowing Module) throws -> String {
        var message: UnsafeMutablePointer<CChar>?
        var buffer: LLVMMemoryBufferRef?
        let failed = LLVMTargetMachineEmitToMemoryBuffer(ref, module.ref, LLVMAssemblyFile, &message, &buffer)
        let text = takeMessage(message)
        defer { if let buffer { LLVMDisposeMemoryBuffer(buffer) } }
        guard failed == 0, let buffer, let start = LLVMGetBufferStart(buffer) else {
            throw JITError.llvm("emitting PTX: \(text.isEmpty ? "no output" : text)")
        }
        let bytes = UnsafeRawBufferPointer(start: start, count: Int(LLVMGetBufferSize(buffer)))
        return String(decoding: bytes, as: UTF8.self)
    }
}
