import Foundation
import Synchronization

/// Compiles a partitioned program (see `ProgramPartition`): groups of pieces are emitted,
/// verified, optimised and turned into object files on worker threads, each with its own
/// context and target machine, then one LLJIT links the objects.
///
/// NOTE (compile time): linking is serial (LLJIT links each object at the first lookup of one
/// of its functions) and cheap next to code generation. LLJIT's own concurrent compilation is
/// not reachable through the C API (no setter for its compile threads), and one LLJIT's target
/// machine is not safe to share between threads, so code generation is parallel here instead:
/// one target machine per worker, one context per module, modules freed once emitted.
enum PieceCompiler {
    /// Compiles the pieces of `partition` and returns the code with its entries in call order.
    static func compile(
        _ program: Program, partition: ProgramPartition, gradient: Bool, options: JITOptions,
        limits: ProgramPartition.Limits, progress: CompilationProgressHandler?
    ) throws -> PiecewiseCode {
        let groups = moduleGroups(partition, limits: limits)
        let results = PieceResults(count: groups.count)
        let total = program.slots.count
        let target = try options.target()
        let workers = Swift.min(ProcessInfo.processInfo.activeProcessorCount, groups.count)
        parallelFor(items: groups.count, workers: workers) { claim in
            do {
                let machine = try TargetMachine(
                    objectsFor: target, optimization: codeGeneratorLevel(for: options.optimization))
                while !results.failed, let group = claim() {
                    let module = try optimizedModule(
                        program, groups[group], partition: partition, gradient: gradient, options: options,
                        machine: machine, optimize: true, keepNames: false)
                    let object = try machine.emitObject(module)
                    let slots = groups[group].reduce(0) { $0 + partition.pieces[$1].count }
                    results.store(object, at: group, slots: slots, total: total, progress: progress)
                }
            } catch {
                results.fail(error)
            }
        }
        let objects = try results.objects()
        let jit = try LLJIT(machine: try TargetMachine(for: target, optimization: options.optimization))
        for object in objects { try jit.add(object) }
        // NOTE: LLJIT links an object at the first lookup of one of its functions.
        let names = Program.pieceEntries(count: partition.pieces.count, gradient: gradient)
        var addresses: [UInt64] = []
        addresses.reserveCapacity(names.count)
        for name in names {
            addresses.append(try jit.address(of: name))
            progress?(CompilationProgress(stage: .linking, completed: addresses.count, total: names.count))
        }
        let prefetch = try jit.address(of: Program.prefetchCodeName)
        return PiecewiseCode(jit: jit, addresses: addresses, prefetch: prefetch, partition: partition)
    }

    /// The IR of every module, in order, before or after optimisation (serially; for reading).
    static func ir(
        _ program: Program, partition: ProgramPartition, gradient: Bool, options: JITOptions,
        limits: ProgramPartition.Limits, optimized: Bool
    ) throws -> String {
        let machine = try TargetMachine(for: try options.target(), optimization: options.optimization)
        var text = ""
        for group in moduleGroups(partition, limits: limits) {
            let module = try optimizedModule(
                program, group, partition: partition, gradient: gradient, options: options, machine: machine,
                optimize: optimized, keepNames: true)
            text += module.irText
        }
        return text
    }

    /// The IR pipeline of a piece at `level`: nothing at O0; at O1-O3 early CSE and instcombine
    /// (constant folding, `1 * g`), with the code generator at the chosen level.
    ///
    /// NOTE (compile time, measured on a 12,476-node random DAG, pieces of 1024 slots, release
    /// build, one core busy): `default<O2>` compiled the forward pieces in 414 ms CPU and the
    /// value-and-gradient pieces in 3.3 s; this pipeline in 319 ms and 1.1 s, and the code ran
    /// as fast (call 46 us vs 45 us; 55 us vs 54 us). Straight-line code has no loops for the
    /// rest of `default<O2>` to work on, and its memory passes (GVN, DSE, MemorySSA) spent most
    /// of their time in alias queries between the buffer loads and stores.
    static func pipeline(for level: JITOptions.OptimizationLevel) -> String {
        level == .o0 ? "default<O0>" : "function(early-cse,\(PassPipeline.instcombine))"
    }

    /// The code generator's level for pieces compiled at `level`: LLVM's fast instruction
    /// selector and register allocator (its O0 code generator) below O3, the optimising one at O3.
    ///
    /// NOTE (compile time vs. call time, measured on random DAGs, release build, 2-vCPU Xeon
    /// with AVX-512, CPU time of the compile): the optimising code generator (SelectionDAG,
    /// greedy register allocation, machine scheduling) took about 25 us per slot, four times the
    /// fast one, and its code was no faster where it matters: 12,476 nodes forward 308 -> 92 ms
    /// CPU, call 3.2 ns/node either way; 124,609 nodes 2.97 s -> 0.97 s, call 6.0 -> 5.1 ns/node;
    /// gradient of 12,476 nodes 1.10 s -> 0.28 s, call 3.75 -> 4.05 ns/node; gradient of 124,609
    /// nodes 10.9 s -> 2.7 s, call 6.5 -> 8.7 ns/node (the reverse pieces are where the fast
    /// allocator's code loses, 8-34%). Straight-line code of loads, one operation and stores leaves the optimising generator
    /// little to find; the IR passes (`pipeline(for:)`) keep their folding at every level.
    /// O3 keeps the optimising generator for a graph called so often that its compile time
    /// does not matter.
    static func codeGeneratorLevel(for level: JITOptions.OptimizationLevel) -> JITOptions.OptimizationLevel {
        level == .o3 ? .o3 : .o0
    }

    /// Whether pieces compiled at `level` gather their library calls into batches
    /// (`PieceSchedule`): at O1-O3, not at O0, whose aim is the shortest compile.
    ///
    /// NOTE (measured on W7's random DAGs at O2, release build, 2-vCPU Xeon with AVX-512, three
    /// alternating rounds): batches took the call from 3.37-3.52 to 2.80-3.05 ns a node at
    /// 12,476 nodes, 4.74-4.90 to 4.65-4.70 at 124,609 and 5.02-5.07 to 4.77-4.85 at 1,245,396,
    /// and the compile 12% longer (1e6 nodes: 3.71-3.79 s -> 4.25-4.29 s).
    static func batchesLibraryCalls(at level: JITOptions.OptimizationLevel) -> Bool { level != .o0 }

    /// Emits the pieces `group` into a new module in its own context, verifies it and, when
    /// `optimize`, runs the piece pipeline.
    private static func optimizedModule(
        _ program: Program, _ group: Range<Int>, partition: ProgramPartition, gradient: Bool, options: JITOptions,
        machine: borrowing TargetMachine, optimize: Bool, keepNames: Bool
    ) throws -> Module {
        let builtInMath = options.usesBuiltInMath(on: try options.target())
        let module = Module(name: "pieces\(group.lowerBound)", context: try Context(), builtInMath: builtInMath)
        if !keepNames { module.context.discardValueNames() }
        module.setTarget(machine)
        try program.emitPieces(group, of: partition, gradient: gradient, into: module, precision: options.precision,
                               batchesLibraryCalls: batchesLibraryCalls(at: options.optimization))
        if group.lowerBound == 0 { try Program.emitPrefetchCode(into: module) }
        try module.verify()
        if optimize {
            try PassPipeline.run(
                on: module, pipelineText: pipeline(for: options.optimization), machine: machine, vectorize: false)
        }
        return module
    }

    /// The pieces of each module: `piecesPerModule` consecutive pieces.
    private static func moduleGroups(_ partition: ProgramPartition, limits: ProgramPartition.Limits) -> [Range<Int>] {
        let count = partition.pieces.count, size = Swift.max(1, limits.piecesPerModule)
        return stride(from: 0, to: count, by: size).map { $0 ..< Swift.min(count, $0 + size) }
    }
}

/// The objects the workers produce, the first error, and the progress count, under one lock.
///
/// NOTE (thread sanitizer): the lock is an `NSLock` (a pthread mutex, which the thread
/// sanitizer understands), not `Synchronization.Mutex`: on Linux the latter locks inside the
/// standard library's uninstrumented code, so the sanitizer saw the workers' accesses under
/// it as a race (scripts/test-tsan, `PiecewiseConcurrencyTests`).
///
/// Thread safety: `@unchecked Sendable` because every access to `state` holds `lock`.
private final class PieceResults: @unchecked Sendable {
    private struct State {
        var objects: [ObjectFile?]
        var error: (any Error)?
        var compiledSlots = 0
    }
    private var state: State
    private let lock = NSLock()

    init(count: Int) { state = State(objects: Array(repeating: nil, count: count)) }

    private func withLock<T>(_ body: (inout State) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    var failed: Bool { withLock { $0.error != nil } }

    /// Keeps `object`, and reports progress (under the lock, so reports never overlap).
    func store(_ object: ObjectFile, at index: Int, slots: Int, total: Int, progress: CompilationProgressHandler?) {
        withLock { state in
            state.objects[index] = object
            state.compiledSlots += slots
            progress?(CompilationProgress(stage: .compiling, completed: state.compiledSlots, total: total))
        }
    }

    func fail(_ error: any Error) {
        withLock { state in
            if state.error == nil { state.error = error }
        }
    }

    /// Every object in order, or the first error.
    func objects() throws -> [ObjectFile] {
        try withLock { state in
            if let error = state.error { throw error }
            return try state.objects.map { object in
                guard let object else { throw JITError.llvm("internal error: a piece was not compiled") }
                return object
            }
        }
    }
}
