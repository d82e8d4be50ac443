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
        withExtendedLifetime(roots) {
            unretainedOrder(of: roots, resettingInteriorGrads: false).map { $0.takeUnretainedValue() }
        }
    }

    /// The topological order as unretained references, for the interpreter's hot loops.
    ///
    /// NOTE: performance. Holding `Value`s in the stack and the result would retain and release
    /// every node twice per traversal. The references are `Unmanaged` instead: they are valid
    /// only while the caller keeps `roots` alive (the roots own the whole graph), which the
    /// callers guarantee with `withExtendedLifetime`. With `resettingInteriorGrads`, each
    /// non-leaf node's grad is set to 0 as it is emitted, sparing `backward()` a second pass.
    ///
    /// The order is exactly that of a depth-first post-order visiting the operands in
    /// ``Value/children`` order (`lhs`, `rhs`, then the n-ary `rest`). Marks:
    /// `2e` = entered (operands being visited), `2e + 1` = emitted, for this traversal's `e`.
    /// A node stays on the stack while its operands are visited and is emitted when it is on
    /// top again; duplicate stack entries of an emitted node are skipped. (A duplicate can never
    /// be met while its node is only entered: that would need a cycle.)
    ///
    /// `roots` is generic so that `backward()` can pass `CollectionOfOne(self)` without
    /// allocating an array.
    static func unretainedOrder(of roots: some Sequence<Value>, resettingInteriorGrads: Bool) -> [Unmanaged<Value>] {
        let epoch = traversalEpoch.add(1, ordering: .relaxed).newValue
        let entered = 2 &* epoch, emitted = 2 &* epoch &+ 1
        var order: [Unmanaged<Value>] = []
        var stack: [Unmanaged<Value>] = []
        // NOTE: performance. Small graphs (the README expression has 33 nodes) would otherwise
        // reallocate both arrays six times while growing.
        order.reserveCapacity(64)
        stack.reserveCapacity(64)
        for root in roots where root.mark != emitted {
            stack.append(Unmanaged.passUnretained(root))
            while let top = stack.last {
                top._withUnsafeGuaranteedRef { node in
                    if node.mark == entered || node.lhs == nil && node.mark != emitted {
                        // Operands done (or none): emit.
                        stack.removeLast()
                        node.mark = emitted
                        if resettingInteriorGrads && node.lhs != nil { node.storedGrad = 0 }
                        order.append(top)
                    } else if node.mark == emitted {
                        stack.removeLast()
                    } else {
                        node.mark = entered
                        // Pushed last operand first, so the first is visited first.
                        if let rest = node.rest {
                            var index = Int(node.restCount)
                            while index > 0 {
                                index -= 1
                                if rest[index].mark < entered { stack.append(rest[index]) }
                            }
                        }
                        if let r = node.rhs, r.mark < entered { stack.append(r) }
                        if let l = node.lhs, l.mark < entered { stack.append(l) }
                    }
                }
            }
        }
        return order
    }
}

extension Value {
    /// Calls `body` with the unretained topological order of the graph below `root` (as
    /// `unretainedOrder(of:resettingInteriorGrads:)` gives it), valid only during the call.
    ///
    /// NOTE: performance. Small graphs are ordered in one stack-allocated buffer, with the
    /// order growing from its start and the DFS stack from its end, so no array is allocated;
    /// when they would meet, the traversal restarts with arrays (a fresh epoch makes the
    /// earlier marks stale; interior grads it reset are reset again).
    static func withUnretainedOrder<R>(
        from root: Value, resettingInteriorGrads: Bool,
        _ body: (UnsafeBufferPointer<Unmanaged<Value>>) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: Unmanaged<Value>.self, capacity: smallOrderCapacity) { buffer in
            if let count = smallOrder(from: root, into: buffer, resettingInteriorGrads: resettingInteriorGrads) {
                return body(UnsafeBufferPointer(rebasing: buffer[..<count]))
            }
            let order = unretainedOrder(of: CollectionOfOne(root), resettingInteriorGrads: resettingInteriorGrads)
            return order.withUnsafeBufferPointer(body)
        }
    }

    /// Entries of the stack buffer of `withUnretainedOrder` (2 KiB).
    private static let smallOrderCapacity = 256

    /// The same traversal as `unretainedOrder`, in `buffer`; nil when the buffer is too small.
    private static func smallOrder(
        from root: Value, into buffer: UnsafeMutableBufferPointer<Unmanaged<Value>>, resettingInteriorGrads: Bool
    ) -> Int? {
        let epoch = traversalEpoch.add(1, ordering: .relaxed).newValue
        let entered = 2 &* epoch, emitted = 2 &* epoch &+ 1
        let base = buffer.baseAddress.unsafelyUnwrapped
        let end = buffer.count
        var count = 0         // the order is base[0..<count]
        var top = end - 1     // the stack is base[top..<end], its top at base[top]
        base[top] = Unmanaged.passUnretained(root)
        while top < end {
            let entry = base[top]
            let fits: Bool = entry._withUnsafeGuaranteedRef { node in
                if node.mark == entered || node.lhs == nil && node.mark != emitted {
                    top += 1
                    node.mark = emitted
                    if resettingInteriorGrads && node.lhs != nil { node.storedGrad = 0 }
                    base[count] = entry
                    count += 1
                } else if node.mark == emitted {
                    top += 1
                } else {
                    node.mark = entered
                    // At most 2 + restCount pushes; keep them clear of the order.
                    guard top - count > 2 + Int(node.restCount) else { return false }
                    if let rest = node.rest {
                        var index = Int(node.restCount)
                        while index > 0 {
                            index -= 1
                            if rest[index].mark < entered { top -= 1; base[top] = rest[index] }
                        }
                    }
                    if let r = node.rhs, r.mark < entered { top -= 1; base[top] = r }
                    if let l = node.lhs, l.mark < entered { top -= 1; base[top] = l }
                }
                return true
            }
            if !fits { return nil }
        }
        return count
    }
}

extension Unmanaged where Instance == Value {
    /// The node's traversal mark, read without retaining the node.
    @inline(__always) var mark: UInt64 { _withUnsafeGuaranteedRef { $0.mark } }
    /// The node's `data`, read without retaining the node.
    @inline(__always) var data: Double { _withUnsafeGuaranteedRef { $0.data } }
    /// Adds `amount` to the node's gradient, without retaining the node.
    @inline(__always) func addToGrad(_ amount: Double) { _withUnsafeGuaranteedRef { $0.storedGrad += amount } }
}
