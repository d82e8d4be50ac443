/// Machine code of a partitioned program: the LLJIT that owns it and its piece functions in
/// call order (see `Program.pieceEntries`).
///
/// A call allocates the value buffer and a zeroed adjoint buffer (`ProgramPartition`), then
/// calls each piece with `(inputs, values, adjoints, outputs, constants)`; the constant buffer
/// is this object's, filled once and only read.
///
/// NOTE (lifetime): as `NativeCode`: the function pointers are valid while this object (and so
/// its LLJIT) lives. Buffers are per call, so any number of threads may call at once.
///
/// NOTE (call time, measured on W7's random DAGs at O2, 2-vCPU Xeon with AVX-512, 2 MB of
/// second-level cache a core): a call reads every piece's code once, ~15 bytes a node. Up to
/// ~25,000 nodes it stays in the cache between calls; by 124,609 nodes (1.8 MB of code) none
/// of it does, and each call fetches it all from the third level. The same pieces took 1.7 us
/// each in a 12,476-node program and 3.8 us in a 124,609-node one (timed one by one), and
/// running the first 16, 32, 53 or 80 pieces of the latter twice or more gave ~2.2 ns a node
/// for the repeats against ~5.0 for a first pass. Prefetching the next piece's code
/// (`prefetcht1` spread through the piece before) took 5.0 to 4.2 ns a node but doubled the
/// compile, so it is not done.
///
/// NOTE (memory): per call, 8 bytes per value-buffer entry (the slots later pieces read; every
/// operation for a gradient) and per adjoint-buffer entry; freed when the call returns.
final class PiecewiseCode: @unchecked Sendable {
    typealias Entry = @convention(c) (
        UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
        UnsafeMutablePointer<Double>?, UnsafePointer<Double>?
    ) -> Void

    private let jit: LLJIT
    private let entries: [Entry]
    private let valueCount: Int
    private let adjointCount: Int
    private let constants: [Double]

    init(jit: LLJIT, addresses: [UInt64], partition: ProgramPartition) {
        self.jit = jit
        entries = addresses.map { unsafeBitCast(UInt($0), to: Entry.self) }
        valueCount = partition.valueCount
        adjointCount = partition.adjointCount
        constants = partition.constants
    }

    /// The number of piece functions.
    var pieceCount: Int { entries.count }

    /// Runs every piece in order, reading `inputs` and writing `outputs`.
    func call(_ inputs: UnsafePointer<Double>?, _ outputs: UnsafeMutablePointer<Double>?) {
        let values = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, valueCount))
        let adjoints = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, adjointCount))
        adjoints.initialize(repeating: 0, count: Swift.max(1, adjointCount))
        defer {
            values.deallocate()
            adjoints.deallocate()
        }
        constants.withUnsafeBufferPointer { constants in
            for entry in entries { entry(inputs, values, adjoints, outputs, constants.baseAddress) }
        }
    }
}

/// The code of a compiled program: one function (small programs), or pieces run in order.
enum ProgramCode {
    typealias Entry = @convention(c) (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?) -> Void

    case single(NativeCode, Entry)
    case pieces(PiecewiseCode)

    /// Calls the code.
    @inline(__always)
    func call(_ inputs: UnsafePointer<Double>?, _ outputs: UnsafeMutablePointer<Double>?) {
        switch self {
        case .single(_, let entry): entry(inputs, outputs)
        case .pieces(let code): code.call(inputs, outputs)
        }
    }

    /// Compiles `program` as one function (`emit`) when it has at most
    /// `limits.singleFunctionLimit` slots, else in pieces.
    static func compile(
        _ program: Program, gradient: Bool, options: JITOptions, limits: ProgramPartition.Limits,
        progress: CompilationProgressHandler?, emit: (borrowing Module) throws -> Void
    ) throws -> ProgramCode {
        guard program.slots.count > limits.singleFunctionLimit else {
            let name = gradient ? "gradient" : "graph"
            let entry = gradient ? Program.gradientEntryName : Program.entryName
            let code = try Compiler.compile(named: name, entry: entry, options: options, emit: emit)
            progress?(CompilationProgress(stage: .compiling, completed: program.slots.count, total: program.slots.count))
            return .single(code, code.entry(as: Entry.self))
        }
        // NOTE: buffer indices are `Int32` (half the memory of `Int`), which bounds the program.
        guard program.slots.count < Int(Int32.max) else {
            throw JITError.invalidGraph(
                "the program has \(program.slots.count) slots; at most \(Int32.max - 1) can be compiled")
        }
        let partition = ProgramPartition(program, pieceSize: limits.pieceSize, gradient: gradient)
        return .pieces(try PieceCompiler.compile(
            program, partition: partition, gradient: gradient, options: options, limits: limits, progress: progress))
    }
}
