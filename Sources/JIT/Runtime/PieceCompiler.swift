import Foundation
import Synchronization

/// Compiles a partitioned program (see `ProgramPartition`): groups of pieces are emitted,
/// verified, optimised and turned into object files on worker threads, each with its own
/// context and target machine, then one LLJIT links the objects.
///
/// NOTE (compile time, measured): LLJIT linking is serial but cheap next to code generation;
/// the C API offers no handle on LLJIT's own compile threads, and one LLJIT's target machine
/// is not safe to share between threads, so parallel code generation happens here.
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
                let machine = try TargetMachine(for: target, optimization: options.optimization)
                while !results.failed, let group = claim() {
                    let module = Module(name: "pieces\(group)", context: try Context())
                    module.context.discardValueNames()
                    module.setTarget(machine)
                    try program.emitPieces(groups[group], of: partition, gradient: gradient, into: module,
                                           precision: options.precision)
                    try module.verify()
                    try PassPipeline.run(on: module, level: options.optimization, machine: machine)
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
        for (index, object) in objects.enumerated() {
            try jit.add(object)
            progress?(CompilationProgress(stage: .linking, completed: index + 1, total: objects.count))
        }
        let names = Program.pieceEntries(count: partition.pieces.count, gradient: gradient)
        return PiecewiseCode(jit: jit, addresses: try names.map { try jit.address(of: $0) }, partition: partition)
    }

    /// The IR of every module, in order, before or after optimisation (serially; for reading).
    static func ir(
        _ program: Program, partition: ProgramPartition, gradient: Bool, options: JITOptions,
        limits: ProgramPartition.Limits, optimized: Bool
    ) throws -> String {
        var text = ""
        for (index, group) in moduleGroups(partition, limits: limits).enumerated() {
            let module = try Compiler.module(named: "pieces\(index)", options: options, optimize: optimized) { module in
                try program.emitPieces(group, of: partition, gradient: gradient, into: module,
                                       precision: options.precision)
            }
            text += module.irText
        }
        return text
    }

    /// The pieces of each module: `piecesPerModule` consecutive pieces.
    private static func moduleGroups(_ partition: ProgramPartition, limits: ProgramPartition.Limits) -> [Range<Int>] {
        let count = partition.pieces.count, size = Swift.max(1, limits.piecesPerModule)
        return stride(from: 0, to: count, by: size).map { $0 ..< Swift.min(count, $0 + size) }
    }
}

/// The objects the workers produce, the first error, and the progress count, under one lock.
private final class PieceResults: Sendable {
    private struct State {
        var objects: [ObjectFile?]
        var error: (any Error)?
        var compiledSlots = 0
    }
    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(objects: Array(repeating: nil, count: count))) }

    var failed: Bool { state.withLock { $0.error != nil } }

    /// Keeps `object`, and reports progress (under the lock, so reports never overlap).
    func store(_ object: ObjectFile, at index: Int, slots: Int, total: Int, progress: CompilationProgressHandler?) {
        state.withLock { state in
            state.objects[index] = object
            state.compiledSlots += slots
            progress?(CompilationProgress(stage: .compiling, completed: state.compiledSlots, total: total))
        }
    }

    func fail(_ error: any Error) {
        state.withLock { state in
            if state.error == nil { state.error = error }
        }
    }

    /// Every object in order, or the first error.
    func objects() throws -> [ObjectFile] {
        try state.withLock { state in
            if let error = state.error { throw error }
            return try state.objects.map { object in
                guard let object else { throw JITError.llvm("internal error: a piece was not compiled") }
                return object
            }
        }
    }
}
