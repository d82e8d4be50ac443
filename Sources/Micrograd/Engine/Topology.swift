import Foundation

/// The process-wide lock that serialises every walk over a graph and every `backward()`.
///
/// NOTE (threads): a traversal marks the nodes it visits (`Value.mark`) and `backward()` adds into
/// and resets nodes' `grad`; both are per-node state that graphs sharing nodes share. One lock
/// around each traversal and each backward pass makes concurrent calls on graphs that share
/// nodes exactly as if they ran one after the other in some order: every contribution to a
/// shared leaf is added, no traversal sees another's marks. Uncontended it costs one
/// lock/unlock pair (tens of nanoseconds) per call; calls on independent graphs wait for each
/// other (the price of a rule that needs no knowledge of which graphs share nodes).
///
/// The mutex is recursive, so a `CustomOp` derivative closure, which runs inside `backward()`,
/// may itself call `backward()`, `zeroGrad()` or `topologicalOrder` (see `depth`). A closure
/// must not wait for another thread that makes such a call: that thread waits for the lock.
enum GraphLock {
    /// A recursive pthread mutex, made once and never freed.
    nonisolated(unsafe) private static let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        let status = pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        precondition(status == 0, "pthread_mutex_init failed (\(status))")
        return mutex
    }()

    /// How many `withLock` calls the owning thread is inside (guarded by the mutex).
    nonisolated(unsafe) private static var depth = 0
    /// The last traversal epoch handed out (guarded by the mutex).
    nonisolated(unsafe) private static var epoch: UInt64 = 0
    /// The nodes of each nested `backward()` now running, innermost last (guarded by the mutex;
    /// see `Value.nestedBackward`).
    nonisolated(unsafe) static var nestedBackwardNodes: [Set<ObjectIdentifier>] = []

    /// Runs `body` holding the lock; `nested` is true when this thread already held it (a call
    /// from a `CustomOp` closure inside `backward()`).
    @inline(__always)
    static func withLock<R>(_ body: (_ nested: Bool) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        depth += 1
        defer {
            depth -= 1
            pthread_mutex_unlock(mutex)
        }
        return try body(depth > 1)
    }

    /// A fresh traversal epoch; call only holding the lock.
    @inline(__always)
    static func nextEpoch() -> UInt64 {
        epoch &+= 1
        return epoch
    }

    /// The mark every node of the outermost `backward()` holds while a nested call runs: the
    /// outermost call made the last marking traversal, and nested calls never mark (see
    /// `Value.unmarkedOrder`). Call only holding the lock.
    static var outermostEmittedMark: UInt64 { 2 &* epoch &+ 1 }
}

extension Value {
    /// The nodes reachable from this value, each once, operands before the nodes that use them.
    ///
    /// Iterative (an explicit stack), so a chain of millions of nodes does not overflow the
    /// call stack; linear in the number of nodes and edges.
    ///
    /// Threads: safe to call from several threads at once, also on graphs that share nodes
    /// (see ``topologicalOrder(of:)``).
    public func topologicalOrder() -> [Value] {
        Value.topologicalOrder(of: [self])
    }

    /// The nodes reachable from any of `roots`, each once, operands first.
    ///
    /// Threads: traversals, ``backward()`` and ``zeroGrad()`` take one process-wide lock, so any
    /// number of threads may order, differentiate or zero graphs that share nodes at the same
    /// time; each call sees the graph as if it ran alone. (Building new nodes on shared
    /// operands needs no lock. Writing `data` or `grad` while another thread's call may read
    /// them is a data race, as for any shared variable.) It may be called from a `CustomOp`
    /// derivative inside `backward()`.
    public static func topologicalOrder(of roots: [Value]) -> [Value] {
        withExtendedLifetime(roots) { unretainedTopologicalOrder(of: roots).map { $0.takeUnretainedValue() } }
    }

    /// The order of `unretainedOrder`, with the visit state kept in a dictionary instead of the
    /// nodes' marks, for calls nested inside a `backward()` (whose nodes' marks must survive:
    /// `GraphLock.outermostEmittedMark`). Slower; the caller holds the lock and keeps `roots`
    /// alive.
    static func unmarkedOrder(of roots: some Sequence<Value>) -> [Unmanaged<Value>] {
        var emitted: [ObjectIdentifier: Bool] = [:]   // false: entered, true: emitted
        var order: [Unmanaged<Value>] = []
        var stack: [Unmanaged<Value>] = []
        for root in roots where emitted[ObjectIdentifier(root)] != true {
            stack.append(Unmanaged.passUnretained(root))
            while let top = stack.last {
                top._withUnsafeGuaranteedRef { node in
                    let id = ObjectIdentifier(node)
                    let state = emitted[id]
                    if state == false || node.lhs == nil && state == nil {
                        stack.removeLast()
                        emitted[id] = true
                        order.append(top)
                    } else if state == true {
                        stack.removeLast()
                    } else {
                        emitted[id] = false
                        for operand in node.children.reversed() where emitted[ObjectIdentifier(operand)] == nil {
                            stack.append(Unmanaged.passUnretained(operand))
                        }
                    }
                }
            }
        }
        return order
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
    /// allocating an array. The caller holds `GraphLock` (the marks are shared state).
    static func unretainedOrder(of roots: some Sequence<Value>, resettingInteriorGrads: Bool) -> [Unmanaged<Value>] {
        let epoch = GraphLock.nextEpoch()
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
    /// earlier marks stale; interior grads it reset are reset again). The caller holds
    /// `GraphLock`.
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
        let epoch = GraphLock.nextEpoch()
        let entered = 2 &* epoch, emitted = 2 &* epoch &+ 1
        // NOTE: the buffer comes from `withUnsafeTemporaryAllocation` with a non-zero capacity,
        // so it has a base address.
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
