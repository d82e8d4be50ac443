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
            Value.withUnretainedOrder(from: self, resettingInteriorGrads: true) { order in
                storedGrad += 1
                var index = order.count
                while index > 0 {
                    index -= 1
                    order[index]._withUnsafeGuaranteedRef { $0.propagateGrad() }
                }
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
    public func zeroGrad() {
        withExtendedLifetime(self) {
            Value.withUnretainedOrder(from: self, resettingInteriorGrads: false) { order in
                for node in order { node._withUnsafeGuaranteedRef { $0.storedGrad = 0 } }
            }
        }
    }
}
