internal import CCUDA

/// The GPU training step on a CUDA device: the four kernels loaded, every buffer in device
/// memory (the parameters and the optimiser's state stay there between steps).
///
/// NOTE (ordering): every launch and copy goes to the context's default stream, in order, so a
/// kernel sees what the previous one wrote, and `read` (a synchronous copy) waits for them all.
final class CUDATrainingBackend: GPUTrainingBackend {
    /// Threads per block of every launch.
    static let threadsPerBlock = 256

    let context: CUDAContext
    let listing: PTXListing
    /// Seconds spent generating the PTX, and the driver's seconds loading it.
    let generationSeconds: Double, loadSeconds: Double
    private let module: CUDAModule
    private let kernels: [GPUTrainingEmitter.Entry: CUDAFunction]
    /// One device buffer per `GPUTrainingBuffer` (in its order), sized in doubles.
    private var buffers: [DeviceBuffer]

    var deviceName: String { context.summary }

    init(step: GPUTrainingEmitter, optimization: JITOptions.OptimizationLevel, ordinal: Int) throws {
        let context = try CUDAContext(ordinal: ordinal)
        self.context = context
        let target = try TargetDescription.nvptx(computeCapability: context.computeCapability)
        let clock = ContinuousClock()
        let started = clock.now
        listing = try GPUCompiler.compileTraining(step, optimization: optimization, target: target)
        let generated = clock.now
        module = try CUDAModule(ptx: listing.ptx, in: context)
        var kernels: [GPUTrainingEmitter.Entry: CUDAFunction] = [:]
        for entry in GPUTrainingEmitter.Entry.allCases {
            kernels[entry] = try module.function(named: entry.kernelName)
        }
        self.kernels = kernels
        generationSeconds = Self.seconds(generated - started)
        loadSeconds = Self.seconds(clock.now - generated)
        let count = Swift.max(step.layout.parameterCount, 1)
        buffers = try GPUTrainingBuffer.allCases.map { buffer in
            let doubles: Int
            switch buffer {
            case .work, .rows, .targets: doubles = 1
            case .result: doubles = 2
            case .common: doubles = 4
            default: doubles = count
            }
            return try DeviceBuffer(byteCount: doubles * 8, in: context)
        }
        // The state starts at 0 (the caller writes the optimiser's own, if it has any).
        for buffer in [GPUTrainingBuffer.state0, .state1, .state2, .gradients] {
            try write(Array(repeating: 0, count: count), to: buffer)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    func write(_ values: [Double], to buffer: GPUTrainingBuffer) throws {
        try values.withUnsafeBytes { try buffers[buffer.rawValue].upload($0) }
    }

    func read(_ buffer: GPUTrainingBuffer, count: Int) throws -> [Double] {
        var values = [Double](repeating: 0, count: count)
        try values.withUnsafeMutableBytes { try buffers[buffer.rawValue].download(into: $0) }
        return values
    }

    func load(_ batch: TrainingBatch, workCount: Int) throws {
        for (buffer, size) in [(GPUTrainingBuffer.rows, batch.flatRows.count), (.targets, batch.targets.count),
                               (.work, workCount)] where size * 8 > buffers[buffer.rawValue].byteCount {
            buffers[buffer.rawValue] = try DeviceBuffer(byteCount: size * 8, in: context)
        }
        try write(batch.flatRows, to: .rows)
        try write(batch.targets, to: .targets)
    }

    func run(_ entry: GPUTrainingEmitter.Entry, threads: Int, _ scalars: GPUTrainingScalars) throws {
        guard threads > 0, let kernel = kernels[entry] else { return }
        // NOTE: cuLaunchKernel reads each argument through a pointer to its value, during the
        // call: 11 device addresses, then `n` and three doubles, all 8 bytes (as bit patterns).
        var arguments: [UInt64] = buffers.map { UInt64($0.address) }
            + [UInt64(bitPattern: Int64(scalars.rows)), scalars.rate.bitPattern, scalars.alpha.bitPattern,
               scalars.inverseCount.bitPattern]
        let blocks = (threads + Self.threadsPerBlock - 1) / Self.threadsPerBlock
        try arguments.withUnsafeMutableBufferPointer { values in
            let pointers = (0..<values.count).map { UnsafeMutableRawPointer(values.baseAddress! + $0) }
            try kernel.launch(blocks: blocks, threadsPerBlock: Self.threadsPerBlock, arguments: pointers)
        }
    }
}
