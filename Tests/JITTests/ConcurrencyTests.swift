import Dispatch
import JIT
import Micrograd
import Synchronization
import Testing

/// One compiled closure called from many threads at once gives the same answers.
@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("a compiled model called concurrently")
    func model() throws {
        let mlp = MLP(inputs: 3, layers: [16, 16, 2], seed: 21)
        let compiled = try jit(mlp)
        let inputs = (0..<64).map { i in [Double(i) / 10, -Double(i) / 20, 1] }
        let expected = try inputs.map { try mlp($0).map(\.data) }
        let mismatches = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 256) { iteration in
            let index = iteration % inputs.count
            for _ in 0..<50 where (try? compiled(inputs[index])) != expected[index] {
                mismatches.add(1, ordering: .relaxed)
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }

    @Test("a compiled function called concurrently, and compilations running concurrently")
    func function() throws {
        let x = Value(0), y = Value(0)
        let f = (x * y).tanh() + (x - y).sigmoid() + (x * x + 1).log()
        let compiled = try jit([f], inputs: [x, y])
        // `Value` is not `Sendable` (its data and grad are plain fields); the threads only compile it.
        nonisolated(unsafe) let graph = (output: f, inputs: [x, y])
        let mismatches = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 64) { iteration in
            let a = Double(iteration) / 7, b = -Double(iteration) / 5
            let expected = (a * b).tanhValue + Op.sigmoid.evaluate(a - b) + Op.log.evaluate(a * a + 1)
            // Every thread also compiles the one shared graph: threads may linearise the same
            // nodes at once (the engine orders traversals under one lock).
            let own = try? jit([graph.output], inputs: graph.inputs)
            for _ in 0..<20 {
                let shared = (try? compiled([a, b]))?[0] ?? .nan
                let mine = (try? own.map { try $0([a, b])[0] }) ?? .nan
                if !isClose(shared, expected) || !isClose(mine, expected) { mismatches.add(1, ordering: .relaxed) }
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }
}

private extension Double {
    var tanhValue: Double { Op.tanh.evaluate(self) }
}
