import Micrograd

/// The graphs of W7: seeded random DAGs of `+`, `*`, `tanh` and scalar ops over 16 inputs with
/// one output, in three shapes, built iteratively (a 1,000,000-deep chain is fine), and a traced
/// MNIST-size MLP (its neurons are dot products).
enum W7Graph {
    /// How operands are picked.
    enum Shape: String, CaseIterable {
        /// Operands drawn from the 64 newest nodes: a wide DAG with short live ranges.
        case dag
        /// The first operand is the previous node, the second any earlier node (long live ranges).
        case longRange = "long-range"
        /// Each node uses the previous one (and an input): a chain as deep as the graph.
        case chain
        /// MLP(784,[128,64,10]) traced through `Value` for one sample (its weights constants, the
        /// 784 pixels inputs), the sum of its outputs: 109,184 products in 202 dot products.
        case mlp
    }

    /// The output (the sum of every node no other node uses, so all are reachable), the 16
    /// input leaves, and the node count of the graph (`output.topologicalOrder().count`).
    ///
    /// A node whose value exceeds 10 in magnitude is scaled to 4 by a constant (one more node),
    /// as the tests' `RandomGraph` does, so values stay finite at any size.
    static func make(_ shape: Shape, nodes: Int, seed: UInt64 = 7) throws -> (output: Value, inputs: [Value]) {
        var random = RandomSource(seed: seed)
        if shape == .mlp {
            let pixels = (0..<784).map { _ in Value(random.nextUniform(0, 1)) }
            let outputs = try MLP(inputs: 784, layers: [128, 64, 10], seed: seed)(pixels)
            return (outputs.dropFirst().reduce(outputs[0], +), pixels)
        }
        let inputs = (0..<16).map { Value(random.nextUniform(-1, 1), label: "x\($0)") }
        var pool = inputs
        pool.reserveCapacity(nodes + 16)
        var used = [Bool](repeating: true, count: 16)
        used.reserveCapacity(nodes + 16)
        func pick(_ window: Int) -> Int {
            let count = Swift.min(window, pool.count)
            return pool.count - 1 - Int(random.next() % UInt64(count))
        }
        while pool.count - 16 < nodes {
            let first: Int, second: Int
            switch shape {
            case .dag: (first, second) = (pick(64), pick(64))
            case .longRange: (first, second) = (pick(1), pick(pool.count))
            case .chain, .mlp: (first, second) = (pick(1), Int(random.next() % 16))
            }
            let a = pool[first], b = pool[second]
            var node: Value
            let kind = random.next() % 5
            switch kind {
            case 0: node = a + b
            case 1: node = a * b
            case 2: node = a.tanh()
            case 3: node = a * random.nextUniform(-1.5, 1.5)
            default: node = a + random.nextUniform(-1, 1)
            }
            used[first] = true
            if kind < 2 { used[second] = true }
            if Swift.abs(node.data) > 10 { node = node * (4 / Swift.abs(node.data)) }
            pool.append(node)
            used.append(false)
        }
        var sinks = pool.indices.filter { !used[$0] }.map { pool[$0] }
        if sinks.isEmpty { sinks = [pool[pool.count - 1]] }
        var output = sinks[0]
        for sink in sinks.dropFirst() { output = output + sink }
        return (output, inputs)
    }
}
