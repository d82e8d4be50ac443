/// The GPU training step's per-thread functions compiled for this processor, each "thread" a
/// call in a loop (rows in order, parameters in order): the kernels' very arithmetic, checkable
/// against the interpreter without a GPU.
///
/// NOTE: compiled with the built-in math routines, as on the GPU (not libm), and with the same
/// `addrspace(1)` pointers; x86 LLVM treats address space 1 as ordinary memory.
final class HostTrainingBackend: GPUTrainingBackend {
    typealias Entry = @convention(c) (
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, Int64, Double, Double, Double, Int64
    ) -> Void

    /// The machine code; it lives as long as this object, so the `entries` stay valid.
    private let code: NativeCode
    private let entries: [GPUTrainingEmitter.Entry: Entry]
    /// One allocation per buffer (`GPUTrainingBuffer` order) and its capacity in doubles.
    private var buffers: [UnsafeMutablePointer<Double>]
    private var capacities: [Int]

    var deviceName: String { "host" }

    init(step: GPUTrainingEmitter, optimization: JITOptions.OptimizationLevel) throws {
        let options = JITOptions(optimization: optimization, mathLibrary: .builtIn)
        code = try Compiler.compile(
            named: "gpu_training_host", entry: GPUTrainingEmitter.Entry.row.symbol, options: options, pipeline: .kernel
        ) { try step.emit(into: $0) }
        var entries: [GPUTrainingEmitter.Entry: Entry] = [:]
        for entry in GPUTrainingEmitter.Entry.allCases {
            entries[entry] = try code.entry(named: entry.symbol, as: Entry.self)
        }
        self.entries = entries
        let count = Swift.max(step.layout.parameterCount, 1)
        capacities = GPUTrainingBuffer.allCases.map { buffer in
            switch buffer {
            case .work, .rows, .targets: 1
            case .result: 2
            case .common: 4
            default: count
            }
        }
        buffers = capacities.map { capacity in
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
            buffer.initialize(repeating: 0, count: capacity)
            return buffer
        }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    func write(_ values: [Double], to buffer: GPUTrainingBuffer) throws {
        precondition(values.count <= capacities[buffer.rawValue], "\(values.count) values into \(buffer)")
        _ = UnsafeMutableBufferPointer(start: buffers[buffer.rawValue], count: values.count).update(from: values)
    }

    func read(_ buffer: GPUTrainingBuffer, count: Int) throws -> [Double] {
        precondition(count <= capacities[buffer.rawValue], "\(count) values from \(buffer)")
        return Array(UnsafeBufferPointer(start: buffers[buffer.rawValue], count: count))
    }

    func load(_ batch: TrainingBatch, workCount: Int) throws {
        for (buffer, size) in [(GPUTrainingBuffer.rows, batch.flatRows.count), (.targets, batch.targets.count),
                               (.work, workCount)] where size > capacities[buffer.rawValue] {
            buffers[buffer.rawValue].deallocate()
            buffers[buffer.rawValue] = .allocate(capacity: size)
            buffers[buffer.rawValue].initialize(repeating: 0, count: size)
            capacities[buffer.rawValue] = size
        }
        try write(batch.flatRows, to: .rows)
        try write(batch.targets, to: .targets)
    }

    func run(_ entry: GPUTrainingEmitter.Entry, threads: Int, _ scalars: GPUTrainingScalars) throws {
        guard let function = entries[entry] else { return }
        let b = buffers
        for index in 0..<threads {
            function(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], Int64(scalars.rows),
                     scalars.rate, scalars.alpha, scalars.inverseCount, Int64(index))
        }
    }
}
