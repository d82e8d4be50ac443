import Foundation
@testable import JIT
import Micrograd
import Testing

/// The GPU kernel as text, generated without a GPU: PTX for sm_80 with one `.entry`, global
/// loads, no calls and no fused multiply-adds; IR that verifies; tanh and sigmoid through the
/// built-in math routines; the errors for what the GPU backend does not do.
@Suite("GPU kernels as PTX")
struct GPUPTXTests {
    static let models: [(inputs: Int, layers: [Int])] = [(2, [16, 16, 1]), (784, [128, 64, 10])]

    static func listing(_ index: Int, _ precision: JITOptions.Precision) throws -> PTXListing {
        let (inputs, layers) = models[index]
        let model = MLP(inputs: inputs, layers: layers, seed: 7)
        return try ptxListing(for: model, options: JITOptions(precision: precision))
    }

    @Test("PTX of both models in both precisions", arguments: [0, 1], JITOptions.Precision.allCases)
    func ptxText(model: Int, precision: JITOptions.Precision) throws {
        let listing = try Self.listing(model, precision)
        let ptx = listing.ptx
        let type = precision == .float32 ? "f32" : "f64"
        #expect(ptx.contains(".target sm_80"))
        #expect(ptx.contains(".version 7.0"))
        #expect(ptx.contains(".address_size 64"))
        #expect(ptx.contains(".visible .entry \(GPUKernelEmitter.name)("))
        #expect(ptx.contains("ld.global"))
        #expect(ptx.contains("ld.global.nc.\(type)"), "weights through the read-only cache, in the compiled precision")
        #expect(ptx.contains("mul.rn.\(type)") && ptx.contains("add.rn.\(type)"), "rounded mul and add: no contraction")
        #expect(!ptx.contains("fma."), "exact numerics: no fused multiply-add")
        #expect(ptx.contains("%ctaid.x") && ptx.contains("%ntid.x") && ptx.contains("%tid.x"))
        #expect(!ptx.contains(".extern"), "nothing undefined")
        let calls = ptx.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("call") }
        #expect(calls.isEmpty, "the sample function is inlined: \(calls.prefix(3))")
        #expect(ptx.components(separatedBy: ".entry").count == 2, "one kernel")
        if precision == .float32 {
            #expect(ptx.contains("cvt.rn.f32.f64") && ptx.contains("cvt.f64.f32"), "inputs narrowed, outputs widened")
        }
    }

    @Test("the small model is straight-line in registers, the wide one loops over local arrays")
    func kernelShapes() throws {
        let small = try Self.listing(0, .float64).ptx
        #expect(!small.contains("__local_depot"))
        let wide = try Self.listing(1, .float64).ptx
        #expect(wide.contains("__local_depot"), "hidden activations in per-thread arrays")
        #expect(wide.contains("st.local.f64") && wide.contains("ld.local.f64"))
    }

    @Test("IR: a ptx_kernel of global pointers, the sample function inlined", arguments: JITOptions.Precision.allCases)
    func irText(precision: JITOptions.Precision) throws {
        let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 7)
        let options = JITOptions(precision: precision)
        let emitted = try ptxListing(for: model, options: options, optimized: false).ir
        let scalar = precision == .float32 ? "float" : "double"
        #expect(emitted.contains("define ptx_kernel void @mlp_kernel("))
        #expect(emitted.contains("target triple = \"nvptx64-nvidia-cuda\""))
        #expect(emitted.contains("@llvm.nvvm.read.ptx.sreg.tid.x"))
        #expect(emitted.contains("define internal void @mlp_sample(") && emitted.contains("alwaysinline"))
        #expect(irContainsPointer(emitted, to: scalar, addressSpace: 1), "parameters in the global address space")
        let optimized = try ptxListing(for: model, options: options).ir
        #expect(!optimized.contains("@mlp_sample"), "inlined and removed")
        #expect(!optimized.contains("fast") && !optimized.contains("contract"), "no fast-math flags")
    }

    @Test("every optimisation level generates loadable-looking PTX", arguments: JITOptions.OptimizationLevel.allCases)
    func levels(level: JITOptions.OptimizationLevel) throws {
        let model = MLP(inputs: 3, layers: [5, 2], seed: 3)
        let listing = try ptxListing(for: model, options: JITOptions(optimization: level))
        #expect(listing.ptx.contains(".visible .entry mlp_kernel("))
        #expect(!listing.ptx.contains("fma."))
    }

    @Test("tanh and sigmoid layers call the built-in math routines: PTX with nothing undefined",
          arguments: [Activation.tanh, .sigmoid], JITOptions.Precision.allCases)
    func transcendentalActivations(activation: Activation, precision: JITOptions.Precision) throws {
        let model = MLP(inputs: 2, layers: [4, 1], activations: [activation, .linear], seed: 1)
        let listing = try ptxListing(for: model, options: JITOptions(precision: precision))
        #expect(listing.ptx.contains(".visible .entry mlp_kernel("))
        #expect(!listing.ptx.contains(".extern"), "no libm on a GPU: nothing undefined")
        let suffix = precision == .float32 ? "f32" : "f64"
        let routine = activation == .tanh ? "mgrad.tanh.\(suffix)" : "mgrad.exp.\(suffix)"
        #expect(try ptxListing(for: model, options: JITOptions(precision: precision), optimized: false).ir
            .contains("@\(routine)("), "the built-in \(routine) is defined in the module")
        #expect(!listing.ir.contains("@llvm.exp.") && !listing.ir.contains("@tanh"))
    }

    @Test("GPU targets: sm_80 by default, the newest known at or below a device's capability")
    func targets() throws {
        let standard = try TargetDescription.nvptx()
        #expect(standard.triple == "nvptx64-nvidia-cuda" && standard.cpu == "sm_80" && standard.features == "+ptx70")
        let host = try TargetDescription.host()
        #expect(standard.isGPU && !host.isGPU)
        let hopper = try TargetDescription.nvptx(computeCapability: (9, 0))
        #expect(hopper.cpu == (LLVMVersion.major >= 17 ? "sm_90" : "sm_86"))
        #expect(try TargetDescription.nvptx(computeCapability: (8, 7)).cpu == "sm_86")
        #expect(throws: JITError.self) { try TargetDescription.nvptx(computeCapability: (7, 5)) }
        #expect(throws: JITError.self) { try ptxListing(for: MLP(inputs: 1, layers: [1]), target: host) }
        if LLVMVersion.major >= 17 {
            let ptx = try ptxListing(for: MLP(inputs: 2, layers: [3, 1]), target: hopper).ptx
            #expect(ptx.contains(".target sm_90") && ptx.contains(".version 7.8"))
        }
    }
}

/// Whether `ir` has a pointer to `scalar` in `addressSpace`, in typed (`double addrspace(1)*`,
/// LLVM 14) or opaque (`ptr addrspace(1)`, LLVM 15 on) spelling.
func irContainsPointer(_ ir: String, to scalar: String, addressSpace: Int) -> Bool {
    ir.contains("\(scalar) addrspace(\(addressSpace))*") || ir.contains("ptr addrspace(\(addressSpace))")
}
