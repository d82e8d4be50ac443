import Synchronization

/// The source of traversal epochs: each traversal takes a fresh number and marks the nodes it
/// visits with it, so no visited-set has to be allocated or cleared.
private let traversalEpoch = Atomic<UInt64>(0)

extension Value {
    /// The nodes reachable from this value, each once, operands before the nodes that use them.
    ///
    /// Iterative (an explicit stack), so a chain of millions of nodes does not overflow the
    /// call stack; linear in the number of nodes and edges.
    public func topologicalOrder() -> [Value] {
        Value.topologicalOrder(of: [self])
    }

    /// The nodes reachable from any of `roots`, each once, operands first.
    ///
    /// NOTE: two traversals of the same nodes must not run at the same time on different
    /// threads (the marks are per node); graphs are not thread-safe in general.
    public static func topologicalOrder(of roots: [Value]) -> [Value] {
        let epoch = traversalEpoch.add(1, ordering: .relaxed).newValue
        var order: [Value] = []
        var stack: [(node: Value, expanded: Bool)] = []
        for root in roots {
            stack.append((root, false))
            while let (node, expanded) = stack.popLast() {
                if expanded {
                    order.append(node)
                    continue
                }
                if node.mark == epoch { continue }
                node.mark = epoch
                stack.append((node, true))
                if let r = node.rhs, r.mark != epoch { stack.append((r, false)) }
                if let l = node.lhs, l.mark != epoch { stack.append((l, false)) }
            }
        }
        return order
    }
}
