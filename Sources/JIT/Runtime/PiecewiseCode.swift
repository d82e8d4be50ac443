/// Machine code of a partitioned program: the LLJIT that owns it and its piece functions in
/// call order (see `Program.pieceEntries`).
///
/// A call allocates the value buffer and a zeroed adjoint buffer (`ProgramPartition`), then
/// calls each piece with `(inputs, values, adjoints, outputs, constants)`, prefetching the code
/// of the piece two ahead when the code is big; the constant buffer is this object's, filled
/// once and only read.
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
/// for the repeats against ~5.0 for a first pass. So when the code is more than
/// `prefetchAbove` bytes, `call` prefetches each piece's code into the second-level cache two
/// pieces ahead (`@mgrad_prefetch_code`, a loop of `prefetcht1` over its cache lines). Three
/// alternating rounds at O2 (the same 2-vCPU Xeon): random DAGs 124,609 nodes 4.70-4.79 ->
/// 4.23-4.64 ns a node, 1,245,396 nodes 4.94-5.46 -> 4.57-5.04; their gradients 8.18-8.81 ->
/// 6.97-7.37 and 14.1-16.9 -> 8.4-12.6 ns a node. Below that size the code stays in the cache
/// and the prefetches only cost (12,476-node gradient 3.7 -> 4.5 ns a node), so none are made.
/// Prefetches spread through the IR of the piece before were as effective but doubled the
/// compile (a `llvm.prefetch` per cache line).
///
/// NOTE (memory): per call, 8 bytes per value-buffer entry (the slots later pieces read; every
/// operation for a gradient) and per adjoint-buffer entry; freed when the call returns.
final class PiecewiseCode: @unchecked Sendable {
    typealias Entry = @convention(c) (
        UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
        UnsafeMutablePointer<Double>?, UnsafePointer<Double>?
    ) -> Void

    /// `@mgrad_prefetch_code` (`Program.emitPrefetchCode`).
    typealias Prefetch = @convention(c) (UnsafeRawPointer?, Int64) -> Void

    private let jit: LLJIT
    private let entries: [Entry]
    private let prefetch: Prefetch
    /// Each entry's machine code: its address and its length in cache lines (estimated).
    private let code: [(start: UnsafeRawPointer?, lines: Int64)]
    /// Whether `call` prefetches code: when it is more than `prefetchAbove` bytes.
    let prefetches: Bool
    private let valueCount: Int
    private let adjointCount: Int
    private let constants: [Double]

    init(jit: LLJIT, addresses: [UInt64], prefetch: UInt64, partition: ProgramPartition) {
        self.jit = jit
        entries = addresses.map { unsafeBitCast(UInt($0), to: Entry.self) }
        self.prefetch = unsafeBitCast(UInt(prefetch), to: Prefetch.self)
        code = Self.codeLines(addresses)
        prefetches = code.reduce(0) { $0 + $1.lines } * 64 > Self.prefetchAbove
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
            for (number, entry) in entries.enumerated() {
                if prefetches, number + Self.prefetchDistance < code.count {
                    let ahead = code[number + Self.prefetchDistance]
                    prefetch(ahead.start, ahead.lines)
                }
                entry(inputs, values, adjoints, outputs, constants.baseAddress)
            }
        }
    }

    /// Code of more bytes than this is prefetched (see `call`): past the second-level cache of a
    /// core (2 MB on the machine measured), less what the data takes.
    static let prefetchAbove: Int64 = 1 << 20

    /// How many pieces ahead of the one it calls `call` prefetches code.
    static let prefetchDistance = 2

    /// The start and length in cache lines of each piece's code, from the pieces' addresses: up
    /// to the next piece's start in memory when that is near (the pieces of one object follow
    /// one another), else as long as the median piece (the last piece of an object).
    static func codeLines(_ addresses: [UInt64]) -> [(start: UnsafeRawPointer?, lines: Int64)] {
        let sorted = addresses.sorted()
        var gap: [UInt64: UInt64] = [:]
        for (low, high) in zip(sorted, sorted.dropFirst()) { gap[low] = high - low }
        let near = gap.values.filter { $0 <= Self.nearPiece }.sorted()
        let median = near.isEmpty ? Self.nearPiece / 4 : near[near.count / 2]
        return addresses.map { address in
            let bytes = gap[address].flatMap { $0 <= Self.nearPiece ? $0 : nil } ?? median
            return (UnsafeRawPointer(bitPattern: UInt(address)), Int64((bytes + 63) / 64))
        }
    }

    /// The longest distance between two pieces' starts taken as one piece's code (a piece of
    /// 1024 slots is 10-30 KB).
    private static let nearPiece: UInt64 = 256 << 10
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
