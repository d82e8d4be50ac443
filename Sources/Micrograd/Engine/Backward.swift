extension Value {
    /// Computes the gradient of this value with respect to every node it depends on.
    ///
    /// Walks the graph in reverse topological order and adds each node's contribution to its
    /// operands' `grad` (with `+=`, so a node used twice, as in `x * x`, gets both). Leaves
    /// accumulate across calls, as in PyTorch: call ``zeroGrad()`` between steps. Interior
    /// nodes are reset first, so they hold this call's adjoints.
    public func backward() {
        // NOTE: `self` owns the whole graph, so the unretained order stays valid meanwhile.
        withExtendedLifetime(self) {
            let order = Value.unretainedOrder(of: CollectionOfOne(self), resettingInteriorGrads: true)
            storedGrad += 1
            for index in order.indices.reversed() {
                order[index]._withUnsafeGuaranteedRef { $0.propagateGrad() }
            }
        }
    }

    /// Adds this node's local contribution, `grad * ∂self/∂operand`, to each operand's grad.
    @inline(__always)
    private func propagateGrad() {
        guard let lhs else { return }
        let upstream = storedGrad
        // NOTE: the common ops are spelled out so the hot loop needs no call and no tuple;
        // the others go through `Op.partials`, the reference table of derivatives. Each row
        // computes exactly what `partials` gives times `upstream` (same rounding, and the same
        // NaN for `0 * inf`), so the results are bit-identical.
        switch op {
        case .add:
            lhs.addToGrad(upstream)
            rhs.unsafelyUnwrapped.addToGrad(upstream)
        case .multiply:
            let rhs = rhs.unsafelyUnwrapped
            let l = lhs.data, r = rhs.data
            lhs.addToGrad(r * upstream)
            rhs.addToGrad(l * upstream)
        case .relu:
            lhs.addToGrad((storedData > 0 ? 1 : 0) * upstream)
        default:
            let (dl, dr) = op.partials(lhs.data, rhs?.data ?? 0, out: storedData)
            lhs.addToGrad(dl * upstream)
            rhs?.addToGrad(dr * upstream)
        }
    }

    /// Sets the gradient of every node reachable from this value to zero.
    public func zeroGrad() {
        withExtendedLifetime(self) {
            for node in Value.unretainedOrder(of: CollectionOfOne(self), resettingInteriorGrads: false) {
                node._withUnsafeGuaranteedRef { $0.storedGrad = 0 }
            }
        }
    }
}
