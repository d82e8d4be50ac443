@testable import JIT
import Micrograd
import Testing
import TestSupport

/// Forward pieces gather their math-library calls into batches (`PieceSchedule`, at O1-O3):
/// the schedule computes every operation once, after its operands, and the compiled results
/// stay the interpreter's bits.
@Suite("Piece schedule: batched library calls")
struct PieceScheduleTests {
    /// Pieces of 64 slots (room for batches), 4 per module, and no single-function path.
    static let pieces64 = ProgramPartition.Limits(pieceSize: 64, singleFunctionLimit: 0, piecesPerModule: 4)

    @Test("every operation once, after its operands; a batch is two or more calls of its function")
    func scheduleOrder() throws {
        var batches = 0, binaryBatches = 0
        for seed in UInt64(1)...20 {
            let (output, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 4, nodes: 400)
            let program = try Program(outputs: [output], inputs: leaves)
            let partition = ProgramPartition(program, pieceSize: 64, gradient: false)
            for range in partition.pieces {
                let operations = range.filter { slot in
                    if case .operation = program.slots[slot] { return !partition.absorbed[slot] }
                    return false
                }
                var done = Set<Int>(), batched = 0
                func ready(_ slot: Int) -> Bool {
                    guard range.contains(slot), case .operation = program.slots[slot] else { return true }
                    return done.contains(slot)
                }
                func operandsReady(_ slot: Int) -> Bool {
                    if let chain = partition.chainEnding[slot].map({ partition.chains[$0] }) {
                        return ready(chain.start) && (chain.left + chain.right).allSatisfy { ready(Int($0)) }
                    }
                    guard case .operation(_, let operands) = program.slots[slot] else { return false }
                    return operands.allSatisfy(ready)
                }
                let schedule = PieceSchedule(program, partition, range: range)
                for step in schedule.steps {
                    switch step {
                    case .slot(let slot):
                        #expect(operandsReady(slot), "seed \(seed): slot \(slot) before its operands")
                        #expect(done.insert(slot).inserted, "seed \(seed): slot \(slot) twice")
                    case .batch(let function, let slots):
                        #expect(slots.count >= 2)
                        batches += 1
                        if function.arity == 2 { binaryBatches += 1 }
                        batched += slots.count
                        for slot in slots {
                            guard case .operation(let instruction, _) = program.slots[slot] else {
                                Issue.record("seed \(seed): slot \(slot) in a batch is not an operation")
                                continue
                            }
                            #expect(instruction.libraryCall == function)
                            #expect(operandsReady(slot), "seed \(seed): call \(slot) before its operands")
                        }
                        for slot in slots { #expect(done.insert(slot).inserted, "seed \(seed): slot \(slot) twice") }
                    }
                }
                #expect(done == Set(operations), "seed \(seed): piece \(range) computes other slots")
                #expect(schedule.batchedCount == batched)
                let inOrder = PieceSchedule(program, partition, range: range, batches: false)
                #expect(inOrder.steps == operations.map(PieceSchedule.Step.slot))
                #expect(inOrder.batchedCount == 0)
            }
        }
        #expect(batches > 100, "the random graphs gave \(batches) batches")
        #expect(binaryBatches > 0, "no batch of pow")
    }

    @Test("a layer of independent tanh calls is one batch")
    func layerIsOneBatch() throws {
        let inputs = (0..<16).map { Value(Double($0) * 0.1 - 0.8) }
        let layer = inputs.enumerated().map { index, x in (x * (0.5 + Double(index))).tanh() }
        let program = try Program(outputs: [layer.sum()], inputs: inputs)
        let partition = ProgramPartition(program, pieceSize: program.slots.count, gradient: false)
        let schedule = PieceSchedule(program, partition, range: 0..<program.slots.count)
        let batches = schedule.steps.compactMap { step -> (MathFunction, [Int])? in
            guard case .batch(let function, let slots) = step else { return nil }
            return (function, slots)
        }
        #expect(batches.count == 1)
        #expect(batches.first?.0 == .tanh)
        #expect(batches.first?.1.count == 16)
        #expect(schedule.batchedCount == 16)
    }

    @Test("random graphs with batches == interpreter, bit for bit (Float64), O2 and O3; O0 has none", arguments: [
        JITOptions.OptimizationLevel.o0, .o2, .o3,
    ])
    func compiledBits(level: JITOptions.OptimizationLevel) throws {
        for seed in UInt64(21)...30 {
            let (output, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 4, nodes: 400)
            let program = try Program(outputs: [output], inputs: leaves)
            let options = JITOptions(optimization: level)
            let pieces = try CompiledFunction(program: program, options: options, limits: Self.pieces64)
            #expect(pieces.isPiecewise)
            let got = try pieces(leaves.map(\.data))[0]
            #expect(sameResult(got, output.data), "seed \(seed): \(got) vs \(output.data)")
            let ir = try pieces.ir(optimized: false)
            #expect(ir.contains("@mgrad.batch.") == (level != .o0), "seed \(seed): batches at \(level)")
            var random = RandomSource(seed: seed)
            let x = leaves.map { $0.data + random.nextUniform(-0.1, 0.1) }
            let single = try CompiledFunction(program: program, options: options)
            #expect(sameResult(try pieces(x)[0], try single(x)[0]), "seed \(seed) at \(x)")
        }
    }

    @Test("Float32 pieces with batches: within 1e-5 of the interpreter")
    func float32() throws {
        for seed in UInt64(31)...35 {
            let (output, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 4, nodes: 400)
            let program = try Program(outputs: [output], inputs: leaves)
            let compiled = try CompiledFunction(
                program: program, options: JITOptions(precision: .float32), limits: Self.pieces64)
            #expect(try compiled.ir(optimized: false).contains("@mgrad.batch.tanh.f32"))
            let got = try compiled(leaves.map(\.data))[0]
            #expect(isClose(got, output.data, relative: 1e-5), "seed \(seed): \(got) vs \(output.data)")
        }
    }

    @Test("gradients whose forward pieces batch == the single function, bit for bit")
    func gradients() throws {
        for seed in UInt64(36)...40 {
            let (loss, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 4, nodes: 400)
            let pieces = try CompiledGradient(loss: loss, inputs: leaves, parameters: [], options: .default,
                                              limits: Self.pieces64)
            #expect(try pieces.ir(optimized: false).contains("@mgrad.batch."))
            let single = try CompiledGradient(loss: loss, inputs: leaves, parameters: [], options: .default)
            let got = pieces.valueAndGradient(), want = single.valueAndGradient()
            #expect(sameResult(got.value, want.value) && sameResult(got.value, loss.data), "seed \(seed): value")
            for (g, w) in zip(got.inputGradient, want.inputGradient) { #expect(sameResult(g, w), "seed \(seed)") }
        }
    }
}
