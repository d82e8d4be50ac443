/// Where a compiled model runs: this processor, or an NVIDIA GPU through the CUDA driver.
///
/// ```swift
/// let onCPU = try jit(model, on: .cpu)          // the CPU JIT (CompiledModel) behind the same calls
/// let onGPU = try jit(model, on: .cuda())       // PTX from LLVM's NVPTX backend, loaded by the driver
/// ```
///
/// NOTE: `.cuda` needs only the NVIDIA driver (`libcuda.so.1`) at run time, found with `dlopen`;
/// nothing of CUDA is needed to build. Without it, compiling for `.cuda` throws
/// `JITError.deviceUnavailable`, never traps.
public enum Device: Sendable, Hashable, CustomStringConvertible {
    /// The processor this program runs on (the CPU JIT).
    case cpu
    /// The CUDA device of this ordinal (0 is the first GPU, as `nvidia-smi` numbers them when
    /// `CUDA_VISIBLE_DEVICES` is unset).
    case cuda(ordinal: Int = 0)

    /// `cpu` or `cuda:N`.
    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .cuda(let ordinal): "cuda:\(ordinal)"
        }
    }
}
