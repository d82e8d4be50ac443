import Micrograd

/// Compiles an MLP's batched forward pass for `device`: the CPU JIT, or a CUDA GPU.
///
/// ```swift
/// let gpu = try jit(model, on: .cuda())
/// let outputs = try gpu(batch: inputs, rows: rows)
/// ```
///
/// On `.cuda`, the PTX is generated for the newest architecture this LLVM knows that the device
/// runs (sm_80 with LLVM 14), loaded by the driver, and the weights are copied to the device.
/// Of `options`, the precision and optimisation level apply there; the kernel is always exact
/// (`numerics` is not used) and `processor` names a CPU, so it is not used either.
///
/// - Throws: `JITError.deviceUnavailable` without the NVIDIA driver (`libcuda.so.1`), without a
///   device, or for an ordinal out of range; `.driver` when a driver call fails;
///   `.unsupportedOperation` for tanh or sigmoid layers on a GPU (for now); `.llvm` / `.verification`.
public func jit(_ mlp: MLP, on device: Device, options: JITOptions = .default) throws -> DeviceModel {
    try DeviceModel(mlp, on: device, options: options)
}

/// The LLVM IR and PTX of `mlp`'s GPU kernel, generated without a GPU or driver.
///
/// - Parameters:
///   - mlp: the model; its structure is compiled, its parameters are not baked in.
///   - options: precision and optimisation level (numerics are always exact on the GPU).
///   - optimized: whether the IR is shown after the GPU pass pipeline (what the PTX comes
///     from) or as emitted.
///   - target: the GPU to generate for; `TargetDescription.nvptx()` (sm_80) by default.
/// - Throws: `JITError.unsupportedOperation` for tanh or sigmoid layers (for now);
///   `.unsupportedTarget` for a target that is not a GPU; `.llvm` / `.verification`.
public func ptxListing(
    for mlp: MLP, options: JITOptions = .default, optimized: Bool = true, target: TargetDescription? = nil
) throws -> PTXListing {
    let target = try target ?? TargetDescription.nvptx()
    guard target.isGPU else { throw JITError.unsupportedTarget("\(target.cpu) is not a GPU target (\(target.triple))") }
    return try GPUCompiler.compile(try MLPShape(mlp), options: options, target: target, optimizedIR: optimized)
}

/// Loads `ptx` into the driver of CUDA device `ordinal` and unloads it again: a check that the
/// driver accepts the text.
///
/// - Throws: `JITError.driver` with the driver's JIT error log for PTX it rejects;
///   `.deviceUnavailable` without a driver or device.
public func loadPTX(_ ptx: String, onCUDADevice ordinal: Int = 0) throws {
    let context = try CUDAContext(ordinal: ordinal)
    _ = try CUDAModule(ptx: ptx, in: context)
}
