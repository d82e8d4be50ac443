/// What the JIT's linearisation reads from a graph without reference counting (`package`:
/// for the modules of this package only).
///
/// NOTE: performance. Linearising a 1,245,396-node graph through ``Value/topologicalOrder(of:)``
/// and ``Value/children`` spent a third of its 0.89 s in `swift_release`: every node was
/// retained and released several times (the order array, each operand array), each time on a
/// cache line no other step touched. Unretained references cost nothing; they are valid while
/// the caller keeps the roots alive.
extension Value {
    /// The nodes reachable from `roots`, each once, operands first, in the order of
    /// ``topologicalOrder(of:)``, as unretained references.
    ///
    /// - Precondition: the caller keeps `roots` alive (and so every node) while it uses them.
    package static func unretainedTopologicalOrder(of roots: [Value]) -> [Unmanaged<Value>] {
        withExtendedLifetime(roots) {
            GraphLock.withLock { nested in
                nested ? unmarkedOrder(of: roots) : unretainedOrder(of: roots, resettingInteriorGrads: false)
            }
        }
    }

    /// The number of operands (as ``children`` counts them).
    package var operandCount: Int { (lhs == nil ? 0 : 1) + (rhs == nil ? 0 : 1) + Int(restCount) }

    /// Calls `body` with each operand, in ``children`` order, unretained.
    @inline(__always)
    package func forEachOperand(_ body: (Unmanaged<Value>) throws -> Void) rethrows {
        if let lhs { try body(lhs) }
        if let rhs { try body(rhs) }
        // NOTE: the loop runs only when `restCount` > 0, where `rest` is non-nil (see `rest`).
        for index in 0..<Int(restCount) { try body(rest.unsafelyUnwrapped[index]) }
    }
}
