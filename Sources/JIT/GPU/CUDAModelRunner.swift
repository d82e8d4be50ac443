internal import CCUDA
import Micrograd
import Synchronization

/// An MLP's batched inference on a CUDA device: the kernel loaded, the weights resident in
/// device memory, and input and output buffers kept between calls (grown when a batch needs more).
///
/// Thread safety: calls are serialised by a mutex (they share the device buffers); each call
/// makes the context current on its own thread.
final class CUDAModelRunner: @unchecked Sendable {
    /// Threads per block of every launch.
    static let threadsPerBlock = 256

    let context: CUDAContext
    let listing: PTXListing
    let shape: MLPShape
    let precision: JITOptions.Precision
    /// Seconds spent generating the PTX, and the driver's seconds loading (compiling) it.
    let generationSeconds: Double
    let loadSeconds: Double
    private let module: CUDAModule
    private let kernel: CUDAFunction
    private let storage: ParameterStorage
    private let weights: DeviceBuffer
    /// Device buffers and the rows they hold room for, and the rows last loaded.
    private struct Batch { var inputs: DeviceBuffer?; var outputs: DeviceBuffer?; var capacity = 0; var rows = 0 }
    private let batch = Mutex(Batch())

    init(shape: MLPShape, storage: ParameterStorage, options: JITOptions, ordinal: Int) throws {
        context = try CUDAContext(ordinal: ordinal)
        let target = try TargetDescription.nvptx(computeCapability: context.computeCapability)
        let clock = ContinuousClock()
        let started = clock.now
        listing = try GPUCompiler.compile(shape, options: options, target: target)
        let generated = clock.now
        module = try CUDAModule(ptx: listing.ptx, in: context)
        kernel = try module.function(named: listing.kernelName)
        generationSeconds = Self.seconds(generated - started)
        loadSeconds = Self.seconds(clock.now - generated)
        self.shape = shape
        self.storage = storage
        precision = options.precision
        let scalarSize = precision == .float32 ? MemoryLayout<Float>.stride : MemoryLayout<Double>.stride
        weights = try DeviceBuffer(byteCount: storage.count * scalarSize, in: context)
        try syncToDevice()
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Copies the model's current parameters to the device (converted to Float for `.float32`).
    func syncToDevice() throws {
        let values = UnsafeBufferPointer(storage.buffer)
        if precision == .float32 {
            let floats = values.map { Float($0) }
            try floats.withUnsafeBytes { try weights.upload($0) }
        } else {
            try weights.upload(UnsafeRawBufferPointer(values))
        }
    }

    /// Copies `rows` rows of inputs to the device, growing the buffers if needed.
    func load(_ inputs: UnsafeBufferPointer<Double>, rows: Int) throws {
        try batch.withLock { try load(inputs, rows: rows, into: &$0) }
    }

    /// Runs the kernel on the loaded rows; the outputs stay on the device. Waits for the kernel
    /// when `wait` (reporting a fault), else returns once it is queued.
    func run(wait: Bool = true) throws {
        try batch.withLock { try run(&$0, wait: wait) }
    }

    /// Copies the outputs of the loaded rows to `outputs` (waits for the kernel first).
    func readOutputs(into outputs: UnsafeMutableBufferPointer<Double>) throws {
        try batch.withLock { try read(&$0, into: outputs) }
    }

    /// Inputs to the device, the kernel, outputs back: one batched call, under one lock.
    func evaluate(
        _ inputs: UnsafeBufferPointer<Double>, rows: Int, into outputs: UnsafeMutableBufferPointer<Double>
    ) throws {
        try batch.withLock { state in
            try load(inputs, rows: rows, into: &state)
            try run(&state, wait: false)
            try read(&state, into: outputs)
        }
    }

    private func load(_ inputs: UnsafeBufferPointer<Double>, rows: Int, into state: inout Batch) throws {
        if rows > state.capacity {
            // NOTE: the old buffers are freed before the larger ones are allocated.
            state = Batch()
            state.inputs = try DeviceBuffer(byteCount: rows * shape.inputCount * 8, in: context)
            state.outputs = try DeviceBuffer(byteCount: rows * shape.outputCount * 8, in: context)
            state.capacity = rows
        }
        try state.inputs?.upload(UnsafeRawBufferPointer(inputs))
        state.rows = rows
    }

    private func run(_ state: inout Batch, wait: Bool) throws {
        guard state.rows > 0, let inputs = state.inputs, let outputs = state.outputs else { return }
        // NOTE: cuLaunchKernel reads each argument through a pointer to its value, during the call.
        var arguments: (CUdeviceptr, CUdeviceptr, CUdeviceptr, Int64) =
            (weights.address, inputs.address, outputs.address, Int64(state.rows))
        let blocks = (state.rows + Self.threadsPerBlock - 1) / Self.threadsPerBlock
        try withUnsafeMutableBytes(of: &arguments) { raw in
            let base = raw.baseAddress!
            precondition(raw.count == 32, "kernel arguments: four 8-byte fields, no padding")
            let offsets = [0, 8, 16, 24]
            try kernel.launch(blocks: blocks, threadsPerBlock: Self.threadsPerBlock,
                              arguments: offsets.map { base + $0 })
        }
        if wait { try context.synchronize() }
    }

    private func read(_ state: inout Batch, into outputs: UnsafeMutableBufferPointer<Double>) throws {
        guard state.rows > 0 else { return }
        precondition(outputs.count == state.rows * shape.outputCount, "output buffer does not fit the loaded rows")
        try state.outputs?.download(into: UnsafeMutableRawBufferPointer(outputs))
    }
}
