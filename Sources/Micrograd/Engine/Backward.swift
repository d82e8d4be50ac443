extension Value {
    /// Computes the gradient of this value with respect to every node it depends on.
    ///
    /// Walks the graph in reverse topological order and adds each node's contribution to its
    /// operands' `grad` (with `+=`, so a node used twice, as in `x * x`, gets both). Leaves
    /// accumulate across calls, as in PyTorch: call ``zeroGrad()`` between steps. Interior
    /// nodes are reset first, so each holds its adjoint from the last call that reached it.
    ///
    /// Threads: any number of threads may call `backward()` at once, also on graphs that share
    /// leaves or interior nodes: the calls run one at a time under a process-wide lock (see
    /// ``topologicalOrder(of:)``), so a shared leaf receives every call's contribution, exactly
    /// the sum a serial run gives (in the order the calls took the lock), and a shared interior
    /// node holds the adjoint of whichever call ran last. Calls on unrelated graphs wait for
    /// each other too. Read the grads after the calls have returned (joined the threads).
    ///
    /// Re-entrancy: a `CustomOp` derivative runs inside this call, holding the lock; it may
    /// call `backward()` (or `zeroGrad()`, `topologicalOrder`) on any graph without deadlock.
    /// Such a nested call adds into shared leaves as a serial call would, and leaves the
    /// interior nodes it shares with the calls enclosing it as they were, so those finish
    /// correctly (its own interior nodes keep its adjoints). A derivative must not wait for
    /// another thread that calls any of these: that thread waits for the lock.
    ///
    /// To find where a NaN or infinity is born, use ``backward(detectingAnomalies:)``.
    public func backward() {
        // NOTE: `self` owns the whole graph, so the unretained order stays valid meanwhile.
        withExtendedLifetime(self) {
            Value.withBackwardOrder(from: self) { order in
                storedGrad += 1
                var index = order.count
                while index > 0 {
                    index -= 1
                    order[index]._withUnsafeGuaranteedRef { $0.propagateGrad() }
                }
            }
        }
    }

    /// Calls `body` with the topological order of the graph below `root`, its interior grads
    /// reset to 0, holding `GraphLock` (a nested call gets `nestedBackward`'s order).
    @inline(__always)
    static func withBackwardOrder<R>(from root: Value, _ body: (UnsafeBufferPointer<Unmanaged<Value>>) -> R) -> R {
        GraphLock.withLock { nested in
            if nested { return nestedBackward(from: root, body) }
            return withUnretainedOrder(from: root, resettingInteriorGrads: true, body)
        }
    }

    /// `withBackwardOrder` for a call made inside another `backward()` on this thread (from a
    /// `CustomOp` derivative).
    ///
    /// NOTE (re-entrancy): the enclosing calls are midway through their sweeps: their interior
    /// nodes hold adjoints not yet propagated, and the outermost call's nodes are recognised by
    /// its marks (`GraphLock.outermostEmittedMark`; nested calls never mark). This call orders
    /// its graph without marks, saves the grads of the interior nodes an enclosing call owns,
    /// and restores them when done, so those calls continue as if it had not run, while shared
    /// leaves keep its contributions.
    private static func nestedBackward<R>(
        from root: Value, _ body: (UnsafeBufferPointer<Unmanaged<Value>>) -> R
    ) -> R {
        let order = unmarkedOrder(of: CollectionOfOne(root))
        let outermostMark = GraphLock.outermostEmittedMark
        var saved: [(node: Unmanaged<Value>, grad: Double)] = []
        var own = Set<ObjectIdentifier>(minimumCapacity: order.count)
        for entry in order {
            entry._withUnsafeGuaranteedRef { node in
                let id = ObjectIdentifier(node)
                own.insert(id)
                guard node.lhs != nil else { return }
                if node.mark == outermostMark || GraphLock.nestedBackwardNodes.contains(where: { $0.contains(id) }) {
                    saved.append((entry, node.storedGrad))
                }
                node.storedGrad = 0
            }
        }
        GraphLock.nestedBackwardNodes.append(own)
        defer {
            GraphLock.nestedBackwardNodes.removeLast()
            for (node, grad) in saved { node._withUnsafeGuaranteedRef { $0.storedGrad = grad } }
        }
        return order.withUnsafeBufferPointer(body)
    }

    /// Adds this node's local contribution, `grad * ∂self/∂operand`, to each operand's grad.
    @inline(__always)
    private func propagateGrad() {
        guard let lhs else { return }
        let upstream = storedGrad
        // NOTE: the common ops are spelled out so the hot loop needs no call and no tuple;
        // the others go through `Op.partials`, the reference table of derivatives. Each row
        // computes exactly what `partials` gives times `upstream` (same rounding, and the same
        // NaN for `0 * inf`), so the results are bit-identical. The binary rows unwrap `rhs`
        // unchecked: a node of a binary op is only made by `init(data:op:_:_:)` with both
        // operands (`Value.applying(_:_:)` and the operators).
        switch op {
        case .add:
            lhs.addToGrad(upstream)
            rhs.unsafelyUnwrapped.addToGrad(upstream)
        case .multiply:
            let rhs = rhs.unsafelyUnwrapped
            let l = lhs.data, r = rhs.data
            lhs.addToGrad(r * upstream)
            rhs.addToGrad(l * upstream)
        case .subtract:
            lhs.addToGrad(upstream)
            rhs.unsafelyUnwrapped.addToGrad(-1 * upstream)
        case .addConstant:
            lhs.addToGrad(upstream)
        case .multiplyByConstant(let c):
            lhs.addToGrad(c * upstream)
        case .relu:
            lhs.addToGrad((storedData <= 0 ? 0 : 1) * upstream)
        case .weightedSum:
            propagateWeightedSum(upstream, bias: lhs)
        default:
            let (dl, dr) = op.partials(lhs.data, rhs?.data ?? 0, out: storedData)
            lhs.addToGrad(dl * upstream)
            rhs?.addToGrad(dr * upstream)
        }
    }

    /// `backward()`'s step for a `.weightedSum` node: `bias += g`, `wᵢ += xᵢ * g`, `xᵢ += wᵢ * g`.
    ///
    /// NOTE (numerics): the contributions are added in the order in which the equivalent chain
    /// `((bias + w0 * x0) + w1 * x1) + ...` of binary nodes adds them when `backward()` walks it:
    /// the last `+` node first, so the pairs from the last down to the second, each weight
    /// before its input (a `*` node's left operand first), then the bias (the first `+` node's
    /// left operand), then the first pair. Each `+` node passes `g` on unchanged and each `*`
    /// node multiplies the other operand's data by `g`, as here. So every gradient is
    /// bit-identical to the chain's, also when an operand is used twice (`x` as weight and
    /// input); the only exception is an operand whose own subgraph also uses an earlier operand
    /// of the same node, whose contributions the chain would interleave differently.
    @inline(__always)
    private func propagateWeightedSum(_ upstream: Double, bias: Unmanaged<Value>) {
        guard let rest else {
            bias.addToGrad(upstream)
            return
        }
        var index = Int(restCount)
        while index > 0 {
            index -= 2
            if index == 0 { bias.addToGrad(upstream) }
            let weight = rest[index], input = rest[index + 1]
            let w = weight.data, x = input.data
            weight.addToGrad(x * upstream)
            input.addToGrad(w * upstream)
        }
    }

    /// Sets the gradient of every node reachable from this value to zero.
    ///
    /// Threads: safe alongside other threads' `backward()`, `zeroGrad()` and traversals on
    /// shared graphs (one process-wide lock; see ``backward()``).
    public func zeroGrad() {
        withExtendedLifetime(self) {
            GraphLock.withLock { nested in
                if nested {
                    for node in Value.unmarkedOrder(of: CollectionOfOne(self)) {
                        node._withUnsafeGuaranteedRef { $0.storedGrad = 0 }
                    }
                    return
                }
                Value.withUnretainedOrder(from: self, resettingInteriorGrads: false) { order in
                    for node in order { node._withUnsafeGuaranteedRef { $0.storedGrad = 0 } }
                }
            }
        }
    }
}

extension Value {
    /// `backward()`, checking as it goes for the first node where a NaN or an infinity is born
    /// from finite numbers, as PyTorch's `detect_anomaly` does; with `false`, exactly `backward()`.
    ///
    /// Before touching a leaf's gradient, every interior node's value is checked in topological
    /// order (operands first): the first non-finite value whose operands are all finite is
    /// reported. Then, during the sweep, each node's step is checked: the first step that makes
    /// an operand's gradient non-finite, while the node's value, its operands' values, its
    /// upstream gradient and that operand's gradient before the step were finite, is reported
    /// (a derivative that is infinite there, or a sum of finite contributions that overflows).
    ///
    /// NOTE: only births are reported. A leaf that already holds a NaN or an infinity (an input,
    /// a parameter) is data, not an anomaly, and what is computed from it is not reported
    /// either: such a graph differentiates as `backward()` does, without an error. Likewise a
    /// leaf whose gradient was already non-finite before the call.
    ///
    /// Gradients are bit-identical to `backward()`'s (the same steps run, with checks after
    /// each); the checks make it several times slower, so use it to debug, not to train fast.
    /// Threads and re-entrancy: as ``backward()``.
    ///
    /// - Throws: `MicrogradError.numericAnomaly` naming the node (label, op symbol, operand
    ///   values, upstream gradient). A forward anomaly is thrown before any leaf's gradient
    ///   changes; a backward one midway through the sweep, with the gradients partly
    ///   accumulated (zero them before retrying).
    public func backward(detectingAnomalies: Bool) throws {
        guard detectingAnomalies else {
            backward()
            return
        }
        let anomaly: NumericAnomaly? = withExtendedLifetime(self) {
            Value.withBackwardOrder(from: self) { order in
                if let anomaly = Value.forwardAnomaly(in: order) { return anomaly }
                storedGrad += 1
                var index = order.count
                while index > 0 {
                    index -= 1
                    if let anomaly = order[index].takeUnretainedValue().propagateGradCheckingAnomalies() {
                        return anomaly
                    }
                }
                return nil
            }
        }
        if let anomaly { throw MicrogradError.numericAnomaly(anomaly) }
    }

    /// The first interior node in `order` whose value is not finite while its operands are.
    private static func forwardAnomaly(in order: UnsafeBufferPointer<Unmanaged<Value>>) -> NumericAnomaly? {
        for entry in order {
            let node = entry.takeUnretainedValue()
            guard !node.isLeaf, !node.data.isFinite else { continue }
            let operands = node.children.map(\.data)
            guard operands.allSatisfy(\.isFinite) else { continue }
            return NumericAnomaly(
                pass: .forward, label: node.label, symbol: node.op.symbol, operands: operands, value: node.data)
        }
        return nil
    }

    /// `propagateGrad()`, then the anomaly check of `backward(detectingAnomalies:)` on its result.
    private func propagateGradCheckingAnomalies() -> NumericAnomaly? {
        guard !isLeaf else { return nil }
        let operands = children
        let before = operands.map(\.storedGrad)
        propagateGrad()
        let upstream = storedGrad
        let values = operands.map(\.data)
        guard upstream.isFinite, data.isFinite, values.allSatisfy(\.isFinite) else { return nil }
        for (index, operand) in operands.enumerated() where before[index].isFinite && !operand.storedGrad.isFinite {
            return NumericAnomaly(
                pass: .backward, label: label, symbol: op.symbol, operands: values, value: data,
                upstreamGradient: upstream, operandIndex: index, operandGradient: operand.storedGrad)
        }
        return nil
    }
}

/// Where `Value.backward(detectingAnomalies:)` found a NaN or an infinity born from finite
/// numbers: the node, its operands, and for the backward pass the gradient that became non-finite.
public struct NumericAnomaly: Equatable, Sendable, CustomStringConvertible {
    /// The pass in which the non-finite number appeared.
    public enum Pass: Equatable, Sendable {
        /// The node's value (computed when the graph was built) is not finite.
        case forward
        /// The node's backward step made an operand's gradient non-finite.
        case backward
    }

    /// The pass in which the non-finite number appeared.
    public let pass: Pass
    /// The node's label ("" when it has none).
    public let label: String
    /// The node's op, as ``Op/symbol`` (`log`, `/`, `**0.5`, ...).
    public let symbol: String
    /// The values of the node's operands, in ``Value/children`` order (all finite).
    public let operands: [Double]
    /// The node's value: the non-finite number itself in the forward pass.
    public let value: Double
    /// The node's gradient when its step ran (backward pass only; finite).
    public let upstreamGradient: Double?
    /// The position in ``operands`` of the operand whose gradient became non-finite (backward only).
    public let operandIndex: Int?
    /// That operand's gradient after the step (backward only).
    public let operandGradient: Double?

    /// Creates a report (`backward(detectingAnomalies:)` makes them).
    public init(
        pass: Pass, label: String, symbol: String, operands: [Double], value: Double,
        upstreamGradient: Double? = nil, operandIndex: Int? = nil, operandGradient: Double? = nil
    ) {
        self.pass = pass
        self.label = label
        self.symbol = symbol
        self.operands = operands
        self.value = value
        self.upstreamGradient = upstreamGradient
        self.operandIndex = operandIndex
        self.operandGradient = operandGradient
    }

    /// For example `forward pass: node 'z' (log) of operands [-1.0] gave nan`.
    public var description: String {
        let node = label.isEmpty ? "node (\(symbol))" : "node '\(label)' (\(symbol))"
        let inputs = "operands [\(operands.map { "\($0)" }.joined(separator: ", "))]"
        switch pass {
        case .forward:
            return "forward pass: \(node) of \(inputs) gave \(value)"
        case .backward:
            let upstream = upstreamGradient.map { "\($0)" } ?? "?"
            let position = operandIndex.map { "\($0)" } ?? "?"
            let gradient = operandGradient.map { "\($0)" } ?? "?"
            return "backward pass: \(node) of \(inputs), value \(value), upstream gradient \(upstream) "
                + "made operand \(position)'s gradient \(gradient)"
        }
    }
}
