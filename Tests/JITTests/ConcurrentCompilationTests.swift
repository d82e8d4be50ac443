import Dispatch
import Foundation
import JIT
import Micrograd
import Synchronization
import Testing
import TestSupport

/// Threads compiling graphs that share nodes at the same time get what the interpreter computes.
@Suite("Concurrent compilation of shared graphs")
struct ConcurrentCompilationTests {
    /// Lets the closures share the graphs; the engine's lock orders every traversal of them.
    final class Shared: @unchecked Sendable {
        let inputs: [Value]
        let outputs: [Value]
        init(inputs: [Value], outputs: [Value]) {
            self.inputs = inputs
            self.outputs = outputs
        }
    }

    /// Four outputs built on one chain of about 600 nodes over the inputs `x, y`.
    ///
    /// NOTE (exactness): only `+ - *` with constants that are powers of two or small integers,
    /// so the compiled code, which keeps the interpreter's operations and order (no FMA
    /// contraction), must give the interpreter's values bit for bit.
    static func makeGraphs() -> Shared {
        let x = Value(0.75), y = Value(-1.5)
        var chain = x
        for i in 0..<200 {
            let step: Value = chain * 0.5 + y
            chain = i % 3 == 0 ? step - x : step
        }
        let outputs: [Value] = [chain * chain, chain + x * y, chain * 2 - y, (chain - 1) * (chain + 1)]
        return Shared(inputs: [x, y], outputs: outputs)
    }

    @Test("jit of graphs sharing a chain, from 8 threads, 6 rounds each: equal to the interpreter")
    func compileShared() throws {
        let graphs = Self.makeGraphs()
        let expected = graphs.outputs.map(\.data)
        let arguments = graphs.inputs.map(\.data)
        let mismatches = Atomic<Int>(0), failures = Atomic<Int>(0)
        runTogether(threads: 8) { thread in
            for round in 0..<6 {
                let index = (thread + round) % graphs.outputs.count
                do {
                    let compiled = try jit([graphs.outputs[index]], inputs: graphs.inputs)
                    if try compiled(arguments) != [expected[index]] { mismatches.add(1, ordering: .relaxed) }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    @Test("linearising graphs sharing a 6000-node chain, from 4 threads, while 4 others order them")
    func linearizeShared() throws {
        let x = Value(0.75), y = Value(-1.5)
        var chain = x
        for i in 0..<3000 { chain = i % 2 == 0 ? chain * 0.5 + y : chain - x }
        let graphs = Shared(inputs: [x, y], outputs: [chain * chain, chain + y, chain * 2, chain - x])
        let expected = try graphs.outputs.map { try Program(outputs: [$0], inputs: graphs.inputs).slots }
        let expectedOrder = Value.topologicalOrder(of: graphs.outputs).map(ObjectIdentifier.init)
        let mismatches = Atomic<Int>(0), linearizersLeft = Atomic<Int>(4)
        // Threads 0-3 linearise; threads 4-7 walk the same nodes meanwhile, again and again.
        runTogether(threads: 8) { thread in
            if thread >= 4 {
                while linearizersLeft.load(ordering: .relaxed) > 0 {
                    let order = Value.topologicalOrder(of: graphs.outputs).map(ObjectIdentifier.init)
                    if order != expectedOrder { mismatches.add(1, ordering: .relaxed) }
                }
                return
            }
            for round in 0..<20 {
                let index = (thread + round) % graphs.outputs.count
                let program = try? Program(outputs: [graphs.outputs[index]], inputs: graphs.inputs)
                if program?.slots != expected[index] { mismatches.add(1, ordering: .relaxed) }
            }
            linearizersLeft.subtract(1, ordering: .relaxed)
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }

    @Test("jit, topologicalOrder and backward on the same shared graph at once")
    func compileWhileDifferentiating() throws {
        let graphs = Self.makeGraphs()
        let arguments = graphs.inputs.map(\.data)
        let expectedOrder = Value.topologicalOrder(of: graphs.outputs).map(ObjectIdentifier.init)
        let expected = graphs.outputs.map(\.data)
        let mismatches = Atomic<Int>(0)
        runTogether(threads: 6) { thread in
            for round in 0..<4 {
                switch thread % 3 {
                case 0:
                    let compiled = try? jit(graphs.outputs, inputs: graphs.inputs)
                    if (try? compiled?(arguments)) != expected { mismatches.add(1, ordering: .relaxed) }
                case 1:
                    let order = Value.topologicalOrder(of: graphs.outputs).map(ObjectIdentifier.init)
                    if order != expectedOrder { mismatches.add(1, ordering: .relaxed) }
                default:
                    graphs.outputs[round % graphs.outputs.count].backward()
                }
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }
}

