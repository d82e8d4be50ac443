extension Value {
    /// Computes the gradient of this value with respect to every node it depends on.
    ///
    /// Walks the graph in reverse topological order and adds each node's contribution to its
    /// operands' `grad` (with `+=`, so a node used twice, as in `x * x`, gets both). Leaves
    /// accumulate across calls, as in PyTorch: call ``zeroGrad()`` between steps. Interior
    /// nodes are reset first, so they hold this call's adjoints.
    public func backward() {
        let order = topologicalOrder()
        for node in order where !node.isLeaf {
            node.grad = 0
        }
        grad += 1
        for node in order.reversed() {
            guard let lhs = node.lhs else { continue }
            let upstream = node.grad
            let (dl, dr) = node.op.partials(lhs.data, node.rhs?.data ?? 0, out: node.data)
            lhs.grad += dl * upstream
            if let rhs = node.rhs { rhs.grad += dr * upstream }
        }
    }

    /// Sets the gradient of every node reachable from this value to zero.
    public func zeroGrad() {
        for node in topologicalOrder() {
            node.grad = 0
        }
    }
}
