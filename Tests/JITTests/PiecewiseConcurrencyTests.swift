@testable import JIT
import Micrograd
import Synchronization
import Testing
import TestSupport

/// The piece compiler's worker threads, and piecewise functions called from many threads: the
/// suites `scripts/test-tsan` runs under the thread sanitizer (small graphs, so it stays fast).
@Suite("Piecewise compilation under concurrency")
struct PiecewiseConcurrencyTests {
    /// Pieces of 5 slots, 2 per module: many modules for the worker threads to share out.
    static let tiny = ProgramPartition.Limits(pieceSize: 5, singleFunctionLimit: 0, piecesPerModule: 2)

    @Test("piecewise values and gradients compiled by several threads at once, each on its own workers")
    func compilationsAtOnce() throws {
        let failures = Atomic<Int>(0)
        runTogether(threads: 4) { thread in
            for round in 0..<3 {
                let seed = UInt64(100 + thread * 10 + round)
                let (output, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 3, nodes: 60)
                guard let program = try? Program(outputs: [output], inputs: leaves),
                      let compiled = try? CompiledFunction(program: program, options: .default, limits: Self.tiny),
                      compiled.isPiecewise, let value = try? compiled(leaves.map(\.data))[0],
                      sameResult(value, output.data)
                else {
                    failures.add(1, ordering: .relaxed)
                    continue
                }
                let gradient = try? CompiledGradient(
                    loss: output, inputs: leaves, parameters: [], options: .default, limits: Self.tiny)
                if gradient?.isPiecewise != true { failures.add(1, ordering: .relaxed) }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    @Test("progress reports from the piece compiler's workers arrive whole and in order of completion")
    func progressFromWorkers() throws {
        let (output, leaves) = TestSupport.RandomGraph.make(seed: 5, leaves: 4, nodes: 120)
        let program = try Program(outputs: [output], inputs: leaves)
        let reports = Mutex<[CompilationProgress]>([])
        _ = try CompiledFunction(program: program, options: .default, limits: Self.tiny) { report in
            reports.withLock { $0.append(report) }
        }
        let seen = reports.withLock { $0 }
        #expect(!seen.isEmpty)
        for stage in [CompilationProgress.Stage.compiling, .linking] {
            let completed = seen.filter { $0.stage == stage }.map(\.completed)
            #expect(completed == completed.sorted(), "\(stage) went backwards: \(completed)")
        }
    }
}
