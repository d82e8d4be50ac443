import Micrograd
import Testing

/// Checks the interpreter's traversal and backward pass against a plain reference
/// implementation (recursive post-order, gradients from `Op.partials`) on random graphs.
@Suite("Topology and backward: equal to a reference implementation")
struct TopologyTests {
    /// A random DAG: `count` nodes over 3 leaves, each op picking earlier nodes as operands
    /// (so nodes are shared), with unary and binary ops.
    static func randomGraph(seed: UInt64, count: Int) -> (leaves: [Value], nodes: [Value]) {
        var random = RandomSource(seed: seed)
        let leaves = [Value(0.7), Value(-1.3), Value(2.1)]
        var nodes = leaves
        func pick() -> Value { nodes[Int(random.next() % UInt64(nodes.count))] }
        for _ in 0..<count {
            let a = pick(), b = pick()
            let node: Value
            switch random.next() % 7 {
            case 0: node = a + b
            case 1: node = a - b
            case 2: node = a * b
            case 3: node = a.tanh()
            case 4: node = a.relu()
            case 5: node = a * 0.5 + 1
            default: node = a.sigmoid() * b
            }
            nodes.append(node)
        }
        return (leaves, nodes)
    }

    /// Post-order, `lhs` before `rhs`, each node once (recursive; fine for small graphs).
    static func referenceOrder(_ roots: [Value]) -> [Value] {
        var seen = Set<ObjectIdentifier>(), order: [Value] = []
        func visit(_ v: Value) {
            guard seen.insert(ObjectIdentifier(v)).inserted else { return }
            for child in v.children { visit(child) }
            order.append(v)
        }
        roots.forEach(visit)
        return order
    }

    @Test("topologicalOrder equals the recursive post-order, for one and several roots", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func order(seed: UInt64) {
        let (_, nodes) = Self.randomGraph(seed: seed, count: 200)
        let root = nodes[nodes.count - 1]
        #expect(root.topologicalOrder().map(ObjectIdentifier.init) == Self.referenceOrder([root]).map(ObjectIdentifier.init))
        let roots = [nodes[150], nodes[199], nodes[100], nodes[150]]
        #expect(Value.topologicalOrder(of: roots).map(ObjectIdentifier.init) == Self.referenceOrder(roots).map(ObjectIdentifier.init))
    }

    @Test("backward gives bit-identical gradients to the reference rule", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func gradients(seed: UInt64) {
        let (leaves, nodes) = Self.randomGraph(seed: seed, count: 200)
        let root = nodes[nodes.count - 1]
        // Reference: reverse order, grad += partial * upstream, interior grads starting at 0.
        let order = Self.referenceOrder([root])
        var grads: [ObjectIdentifier: Double] = [:]
        grads[ObjectIdentifier(root)] = 1
        for node in order.reversed() where !node.isLeaf {
            let upstream = grads[ObjectIdentifier(node), default: 0]
            let children = node.children
            let (dl, dr) = node.op.partials(children[0].data, children.count > 1 ? children[1].data : 0, out: node.data)
            grads[ObjectIdentifier(children[0]), default: 0] += dl * upstream
            if children.count > 1 { grads[ObjectIdentifier(children[1]), default: 0] += dr * upstream }
        }
        root.backward()
        for node in order {
            #expect(node.grad == grads[ObjectIdentifier(node), default: 0])
        }
        #expect(leaves.allSatisfy { $0.grad.isFinite })
    }

    @Test("a deep graph with shared operands is freed completely")
    func deepSharedRelease() {
        weak var weakShared: Value?
        weak var weakMiddle: Value?
        do {
            let shared = Value(1) * 2
            weakShared = shared
            var y = Value(0)
            for index in 0..<5_000 {
                y = y + shared
                if index == 2_500 { weakMiddle = y }
            }
            y.backward()
            #expect(shared.grad == 5_000)
        }
        #expect(weakShared == nil)
        #expect(weakMiddle == nil)
    }
}
