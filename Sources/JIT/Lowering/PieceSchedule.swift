import Micrograd

/// The order a forward piece (see `PieceEmitter.emitForward`) computes its slots in, with its
/// math-library calls (`tanh`, `exp`, `log`, `sin`, `cos`, `pow`) gathered into batches: each
/// batch is one call of a loop over its arguments (`MathDeclarations.batchCallee`) instead of
/// a call site per slot.
///
/// Stages: a library call's result belongs to the stage after the latest of its operands'; any
/// other operation to the latest of its operands' (slots of earlier pieces, inputs and constants
/// to stage 0). Stage `s` computes its other operations in slot order, then calls its batches:
/// every library call whose operands are of stage `s`, one batch per function, in slot order.
/// So every slot is computed after its operands, and each library call with the same
/// arguments as before: the results are the same bits, in any order.
///
/// NOTE (call time, 2-vCPU Xeon with AVX-512): in straight-line code a `tanh` called from
/// 25,000 call sites cost 27-31 ns a call, from 2,500 sites 16 ns (a C program of either, each
/// call site run once per pass), and 11 ns from one site in a loop; the call sites the branch
/// predictor has not kept cost the front end, and `tanh`'s own branches are predicted from the
/// path that led to them. W7's random DAGs without `tanh` ran at 0.3 ns a node, with it at
/// 3.4 ns at 12,476 nodes, so its calls are most of the time. Measured gains: `PieceCompiler.
/// batchesLibraryCalls`. Past about 50,000 nodes the code no longer stays in the second-level
/// cache between calls, and fetching it costs more than the calls (see `PiecewiseCode`).
struct PieceSchedule {
    /// One step of the piece.
    enum Step: Equatable {
        /// Compute this slot (an operation that is not a batched library call, or a dot product's end).
        case slot(Int)
        /// Call `function` for these slots (at least two), which are instructions whose
        /// `libraryCall` is `function`.
        case batch(MathFunction, [Int])
    }

    /// The steps, in order.
    let steps: [Step]
    /// The number of slots in batches (the size of the piece's argument arrays).
    let batchedCount: Int

    /// The schedule of the slots `range` of `program` (cut as `partition`); `batches` false
    /// keeps the slot order (every slot a step of its own).
    init(_ program: Program, _ partition: ProgramPartition, range: Range<Int>, batches: Bool = true) {
        var stage = [Int32](repeating: 0, count: range.count)
        func stageOf(_ slot: Int) -> Int32 { range.contains(slot) ? stage[slot - range.lowerBound] : 0 }
        // Per stage: its other operations, then its calls per function (in first-seen order).
        var operations: [[Int]] = [[]]
        var calls: [[(function: MathFunction, slots: [Int])]] = [[]]
        func add(_ index: Int, at level: Int32, call function: MathFunction?) {
            let level = Int(level)
            while operations.count <= level {
                operations.append([])
                calls.append([])
            }
            guard let function else { return operations[level].append(index) }
            if let group = calls[level].firstIndex(where: { $0.function == function }) {
                calls[level][group].slots.append(index)
            } else {
                calls[level].append((function, [index]))
            }
        }
        for index in range {
            guard case .operation(let instruction, let operands) = program.slots[index], !partition.absorbed[index]
            else { continue }
            var level: Int32 = 0
            if let chain = partition.chainEnding[index].map({ partition.chains[$0] }) {
                level = stageOf(chain.start)
                for operand in chain.left { level = Swift.max(level, stageOf(Int(operand))) }
                for operand in chain.right { level = Swift.max(level, stageOf(Int(operand))) }
                add(index, at: level, call: nil)
            } else {
                for operand in operands { level = Swift.max(level, stageOf(operand)) }
                let function = batches ? instruction.libraryCall : nil
                add(index, at: level, call: function)
                if function != nil { level += 1 }
            }
            stage[index - range.lowerBound] = level
        }
        var steps: [Step] = [], batchedCount = 0
        for level in operations.indices {
            steps += operations[level].map(Step.slot)
            for (function, slots) in calls[level] {
                if slots.count == 1 {
                    steps.append(.slot(slots[0]))
                } else {
                    steps.append(.batch(function, slots))
                    batchedCount += slots.count
                }
            }
        }
        self.steps = steps
        self.batchedCount = batchedCount
    }
}
