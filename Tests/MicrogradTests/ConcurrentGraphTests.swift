import Dispatch
import Foundation
import Micrograd
import Synchronization
import Testing
import TestSupport

/// Threads differentiating, ordering and zeroing graphs that share leaves and interior nodes
/// get exactly what the same calls made one after the other give.
///
/// NOTE (exactness): every leaf and constant is a small integer and the ops are `+ - *`, so
/// every value and gradient is an integer far below 2^53: sums are exact in any order, and
/// the concurrent results must equal the serial ones bit for bit.
@Suite("Concurrent graphs")
struct ConcurrentGraphTests {
    static let threads = 8
    static let rounds = 50

    /// A box that lets the test's closures share graphs between threads; every access to the
    /// nodes inside goes through the engine's calls (which take its lock) or happens after the
    /// threads have been joined.
    final class Shared<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }

    /// 16 shared leaves, 16 shared interior nodes over them, and one root per thread built on
    /// both (about `length` nodes each, distinct per thread).
    static func makeGraphs(length: Int = 600) -> (leaves: [Value], interior: [Value], roots: [Value]) {
        let leaves: [Value] = (0..<16).map { (k: Int) -> Value in Value(Double(k % 5 - 2), label: "leaf\(k)") }
        var interior: [Value] = []
        for k in 0..<16 {
            let product: Value = leaves[k] * leaves[(k + 1) % 16]
            interior.append(product - leaves[(k + 5) % 16])
        }
        var roots: [Value] = []
        for thread in 0..<threads {
            var total = Value(0)
            for i in 0..<length / 3 {
                let shared: Value = interior[(i + thread) % 16]
                let leaf: Value = leaves[(7 * i + 3 * thread) % 16]
                let term: Value = shared * leaf
                // Alternating signs keep the values small.
                total = i % 2 == 0 ? total + term : total - term
            }
            roots.append(total)
        }
        return (leaves, interior, roots)
    }

    @Test("backward on graphs sharing leaves and interior nodes, from 8 threads, 50 rounds")
    func concurrentBackward() {
        let (leaves, interior, roots) = Self.makeGraphs()
        // Serial reference: each root's leaf and interior gradients on its own.
        var serialSum = [Double](repeating: 0, count: leaves.count)
        var interiorGrads: [[Double]] = []
        for root in roots {
            leaves.forEach { $0.grad = 0 }
            root.backward()
            for (index, leaf) in leaves.enumerated() { serialSum[index] += leaf.grad }
            interiorGrads.append(interior.map(\.grad))
        }
        #expect(serialSum.contains { $0 != 0 })
        let shared = Shared(roots)
        var mismatchedRounds = 0
        var incoherentInterior = 0
        for _ in 0..<Self.rounds {
            leaves.forEach { $0.grad = 0 }
            runTogether(threads: Self.threads) { thread in
                shared.value[thread].backward()
            }
            if leaves.map(\.grad) != serialSum { mismatchedRounds += 1 }
            // Each interior node holds the adjoint of one whole call: the last one to run.
            let now = interior.map(\.grad)
            if !interiorGrads.contains(now) { incoherentInterior += 1 }
        }
        #expect(mismatchedRounds == 0)
        #expect(incoherentInterior == 0)
    }

    @Test("topologicalOrder and zeroGrad on shared graphs, from 8 threads at once")
    func concurrentOrderAndZero() {
        let (leaves, interior, roots) = Self.makeGraphs(length: 300)
        let pairs = (0..<Self.threads).map { [roots[$0], roots[($0 + 1) % Self.threads]] }
        let expected = pairs.map { Value.topologicalOrder(of: $0).map(ObjectIdentifier.init) }
        let shared = Shared(pairs)
        let mismatches = Atomic<Int>(0)
        for node in leaves + interior { node.grad = 1 }
        runTogether(threads: Self.threads) { thread in
            for round in 0..<Self.rounds {
                let order = Value.topologicalOrder(of: shared.value[thread]).map(ObjectIdentifier.init)
                if order != expected[thread] { mismatches.add(1, ordering: .relaxed) }
                if round % 10 == thread % 10 { shared.value[thread][0].zeroGrad() }
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
        #expect((leaves + interior).allSatisfy { $0.grad == 0 })
    }

    @Test("backward from 2 threads on two 100k-node graphs sharing their 16 leaves equals the serial sum")
    func longGraphsSharingLeaves() {
        let leaves = (0..<16).map { Value(Double($0 % 3 + 1)) }
        func chain(_ offset: Int) -> Value {
            var total = Value(0)
            for i in 0..<50_000 { total = total + leaves[(i + offset) % 16] * Double(i % 3 - 1) }
            return total
        }
        let roots = Shared([chain(0), chain(5)])
        roots.value[0].backward()
        roots.value[1].backward()
        let serial = leaves.map(\.grad)
        #expect(serial.contains { $0 != 0 })
        var mismatches = 0
        for _ in 0..<5 {
            leaves.forEach { $0.grad = 0 }
            runTogether(threads: 2) { roots.value[$0].backward() }
            if leaves.map(\.grad) != serial { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}


/// A `CustomOp` derivative runs inside `backward()`; it may call the engine again.
@Suite("Re-entrant backward")
struct ReentrantBackwardTests {
    final class Box: @unchecked Sendable {
        var graph: Value?
        var leaf: Value?
        var innerGradient = 0.0
        var order: [ObjectIdentifier] = []
    }

    @Test("a derivative that differentiates a separate graph: no deadlock, both results right")
    func separateGraph() {
        let box = Box()
        let square = CustomOp(name: "square", forward: { $0 * $0 }, derivative: { x in
            // d(x^2)/dx computed by autograd on a fresh graph.
            let leaf = Value(x)
            let y = leaf * leaf
            y.backward()
            box.innerGradient = leaf.grad
            return leaf.grad
        })
        let x = Value(3)
        let y = x.apply(square) * 2
        y.backward()
        #expect(box.innerGradient == 6)
        #expect(x.grad == 12)
    }

    @Test("a derivative that differentiates a graph sharing interior nodes with the outer one")
    func sharedGraph() {
        // Outer: y = custom(s) * t + s, with s = x * x and t = x + 2. The derivative of `custom`
        // (identity, derivative 1) calls backward on w = s * 3 + t, which shares s, t and x.
        let box = Box()
        let identity = CustomOp(name: "id", forward: { $0 }, derivative: { _ in
            box.graph?.backward()
            return 1
        })
        func build() -> (x: Value, s: Value, t: Value, y: Value, w: Value) {
            let x = Value(3)
            let s = x * x, t = x + 2
            return (x, s, t, s.apply(identity) * t + s, s * 3 + t)
        }
        // Serial reference: the outer gradient alone (no nested call), then the nested graph alone.
        let plain = build()
        plain.y.backward()
        let outerX = plain.x.grad, outerS = plain.s.grad, outerT = plain.t.grad
        plain.x.grad = 0
        plain.w.backward()
        let innerX = plain.x.grad
        #expect(outerX == (5 + 1) * 6 + 9 && innerX == 3 * 6 + 1)
        // Nested: x gets both contributions; s and t keep the outer call's adjoints.
        let nested = build()
        box.graph = nested.w
        nested.y.backward()
        #expect(nested.x.grad == outerX + innerX)
        #expect(nested.s.grad == outerS)
        #expect(nested.t.grad == outerT)
    }

    @Test("topologicalOrder and zeroGrad inside a derivative")
    func orderInside() {
        let box = Box()
        let observe = CustomOp(name: "observe", forward: { $0 }, derivative: { _ in
            if let graph = box.graph {
                box.order = graph.topologicalOrder().map(ObjectIdentifier.init)
                box.leaf?.zeroGrad()
            }
            return 1
        })
        let x = Value(2), z = Value(5)
        let y = (x * x).apply(observe) * z
        box.graph = y
        box.leaf = z
        let expected = y.topologicalOrder().map(ObjectIdentifier.init)
        y.backward()
        #expect(box.order == expected)
        #expect(x.grad == 2 * 2 * 5)
        // The `* z` step ran first (z.grad = 4), then the derivative zeroed z.
        #expect(z.grad == 0)
    }
}
