import Micrograd
import Synchronization

/// A compiled MLP for batched inference on a `Device`: the CPU JIT's `CompiledModel`, or a
/// kernel on a CUDA GPU with the weights resident in device memory.
///
/// ```swift
/// let model = MLP(inputs: 2, layers: [16, 16, 1])
/// let gpu = try jit(model, on: .cuda())                  // throws .deviceUnavailable without a GPU
/// let scores = try gpu(batch: flatInputs, rows: n)       // n * outputCount values
/// // ... train `model` ...
/// try gpu.syncToDevice()                                 // copy the new weights to the GPU
/// ```
///
/// The batched calls have `CompiledModel`'s shapes. On `.cpu` they are `CompiledModel`'s and
/// read the live parameters at each call (`syncToDevice()` does nothing); on `.cuda` the
/// weights were copied at compile time and are copied again only by `syncToDevice()`.
///
/// NOTE (numerics, `.cuda`): one thread per sample, each sum from the bias adding `w_i * x_i`
/// in input order with `mul.rn`/`add.rn` (no FMA contraction): Float64 results equal the
/// interpreter's bit for bit, Float32 results the CPU JIT's Float32 results. `.fast` numerics
/// do not change the GPU kernel. Relu and linear layers keep those bits; tanh and sigmoid layers
/// call the built-in math routines (within 2 ulp of libm, see `MathRoutine`).
public final class DeviceModel: @unchecked Sendable {
    enum Backend {
        case cpu(CompiledModel)
        case cuda(CUDAModelRunner)
    }

    /// Where the model runs.
    public let device: Device
    /// The number of inputs of one sample.
    public let inputCount: Int
    /// The number of outputs of one sample.
    public let outputCount: Int
    /// The options it was compiled with.
    public let options: JITOptions
    let backend: Backend
    /// On the CPU, what `load(batch:rows:)` loaded and `runResident()` computed.
    let resident = Mutex<(inputs: [Double], rows: Int, outputs: [Double])>(([], 0, []))

    init(_ mlp: MLP, on device: Device, options: JITOptions) throws {
        let shape = try MLPShape(mlp)
        self.device = device
        self.options = options
        inputCount = shape.inputCount
        outputCount = shape.outputCount
        switch device {
        case .cpu:
            backend = .cpu(try CompiledModel(mlp, options: options))
        case .cuda(let ordinal):
            backend = .cuda(try CUDAModelRunner(shape: shape, storage: mlp.storage, options: options, ordinal: ordinal))
        }
    }

    /// The CPU compiled model behind a `.cpu` model; nil on a GPU.
    public var compiledModel: CompiledModel? {
        if case .cpu(let model) = backend { return model }
        return nil
    }

    /// The kernel's LLVM IR and PTX, on a GPU; nil on the CPU.
    public var ptx: PTXListing? {
        if case .cuda(let runner) = backend { return runner.listing }
        return nil
    }

    /// `NVIDIA H200 (sm_90)` on a GPU, `cpu` on the CPU.
    public var deviceName: String {
        if case .cuda(let runner) = backend { return runner.context.summary }
        return "cpu"
    }

    /// On a GPU, the seconds spent generating PTX and the driver's seconds loading it; nil on the CPU.
    public var gpuCompileSeconds: (generation: Double, load: Double)? {
        if case .cuda(let runner) = backend { return (runner.generationSeconds, runner.loadSeconds) }
        return nil
    }

    /// Copies the MLP's current parameters to the device (after training); nothing on the CPU,
    /// whose code reads the live parameters.
    public func syncToDevice() throws {
        if case .cuda(let runner) = backend { try runner.syncToDevice() }
    }
}
