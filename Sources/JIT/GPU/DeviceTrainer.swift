import Micrograd

/// An MLP's training step compiled for a `Device`: the CPU's `CompiledTrainer`, or four kernels
/// on a CUDA GPU with the parameters and the optimiser's state resident in device memory.
///
/// ```swift
/// let trainer = try jit(Trainer.karpathyMoons(model: model), on: .cuda())
/// try trainer.fit(dataset, steps: 100)        // steps on the GPU, then the parameters copied back
/// let report = try trainer.step(batch)         // one more step: the model's Values are now stale...
/// try trainer.syncToHost()                     // ...until this copies the parameters back
/// ```
///
/// The calls have `CompiledTrainer`'s shapes and report the same `TrainingProgress`.
///
/// Where the parameters live:
/// - `.cpu`: in the model's `storage`, updated in place; the sync calls do nothing.
/// - `.cuda`: on the device. A `step` changes only the device's copy, so the model's `Value`s,
///   the interpreter (`try model(x)`) and a `CompiledModel` see the parameters of the last
///   `syncToHost()`; `fit` ends with one. Parameters changed on the host (`loadParameters`,
///   writing `data`) reach the device only with `syncToDevice()`. Freezing (`isLearnable`) takes
///   effect at the next step without a sync (the mask is uploaded when the flags change).
///
/// NOTE (numerics, `.cuda`): Float64, exact: every sum in the interpreter's order, one thread
/// per parameter summing the rows' contributions sequentially (see `GPUTrainingEmitter`), so
/// losses, gradients and parameters equal the interpreter's `Trainer` bit for bit for relu and
/// linear layers with the hinge or squared-error objectives; `exp`, `log` and `tanh` (softmax,
/// binary cross-entropy, tanh and sigmoid layers) are the built-in routines, within ~2 ulp of libm.
/// `.fast` numerics do not change the kernels. Adam's bias corrections use libm's
/// `pow(beta, t)`, computed on the host, while every learnable parameter has had the same number
/// of updates; after freezing or unfreezing part of the model the counts differ, and the kernel
/// computes them with the built-in `pow` (within ~1 ulp).
///
/// Not on a GPU yet (the CPU trainer has them): anomaly detection, checkpoints and
/// `optimizerState`, and thread counts (a GPU step has one thread per row or parameter).
///
/// Thread safety: not thread-safe; use one trainer from one thread at a time.
public final class DeviceTrainer {
    enum Backend {
        case cpu(CompiledTrainer)
        case kernels(GPUTrainingStep)
    }

    /// Where the step runs.
    public let device: Device
    /// The model being trained.
    public let model: MLP
    /// The options it was compiled with.
    public let options: JITOptions
    let backend: Backend

    init(_ trainer: Trainer, on device: Device, options: JITOptions) throws {
        self.device = device
        self.options = options
        model = trainer.model
        switch device {
        case .cpu:
            backend = .cpu(try jit(trainer, options: options))
        case .cuda(let ordinal):
            backend = .kernels(try GPUTrainingStep(trainer) { step in
                try CUDATrainingBackend(step: step, optimization: options.optimization, ordinal: ordinal)
            })
        }
    }

    /// The GPU-shaped step on this processor (`HostTrainingBackend`): for tests of its numerics.
    init(hostKernelsFor trainer: Trainer, options: JITOptions = .default) throws {
        device = .cpu
        self.options = options
        model = trainer.model
        backend = .kernels(try GPUTrainingStep(trainer) { step in
            try HostTrainingBackend(step: step, optimization: options.optimization)
        })
    }

    /// Runs one step on `batch`: forward, loss, backward and update.
    ///
    /// - Returns: the loss and accuracy before the update, the rate used and the step's time.
    /// - Throws: as `CompiledTrainer.step(_:)` (without anomaly detection); `JITError.driver`
    ///   when the GPU fails.
    @discardableResult
    public func step(_ batch: TrainingBatch) throws -> TrainingProgress {
        switch backend {
        case .cpu(let trainer): try trainer.step(batch)
        case .kernels(let step): try step.step(batch)
        }
    }

    /// Copies the parameters from the device into the model's storage (nothing on the CPU).
    public func syncToHost() throws {
        if case .kernels(let step) = backend { try step.syncToHost() }
    }

    /// Copies the model's parameters to the device, after the host changed them (nothing on the CPU).
    public func syncToDevice() throws {
        if case .kernels(let step) = backend { try step.syncToDevice() }
    }

    /// The gradient of the last step's loss by each parameter (read from the device on a GPU).
    public func gradient() throws -> [Double] {
        switch backend {
        case .cpu(let trainer): trainer.gradient
        case .kernels(let step): try step.backend.read(.gradients, count: step.parameterCount)
        }
    }

    /// The number of updates made so far: the schedule step of the next update.
    public var stepCount: Int {
        get {
            switch backend {
            case .cpu(let trainer): trainer.stepCount
            case .kernels(let step): step.stepCount
            }
        }
        set {
            switch backend {
            case .cpu(let trainer): trainer.stepCount = newValue
            case .kernels(let step): step.stepCount = newValue
            }
        }
    }

    /// The CPU compiled trainer behind a `.cpu` trainer; nil on a GPU.
    public var compiledTrainer: CompiledTrainer? {
        if case .cpu(let trainer) = backend { return trainer }
        return nil
    }

    /// The kernels' LLVM IR and PTX, on a GPU; nil otherwise.
    public var ptx: PTXListing? {
        if case .kernels(let step) = backend { return (step.backend as? CUDATrainingBackend)?.listing }
        return nil
    }

    /// `NVIDIA H200 (sm_90)` on a GPU, `cpu` on the CPU.
    public var deviceName: String {
        if case .kernels(let step) = backend { return step.backend.deviceName }
        return "cpu"
    }

    /// On a GPU, the seconds spent generating PTX and the driver's seconds loading it; nil otherwise.
    public var gpuCompileSeconds: (generation: Double, load: Double)? {
        guard case .kernels(let step) = backend, let cuda = step.backend as? CUDATrainingBackend else { return nil }
        return (cuda.generationSeconds, cuda.loadSeconds)
    }
}
