import Micrograd

extension TrainingEmitter {
    /// `grads[p]` ← the L2 term's contribution, `(0 + p·alpha) + p·alpha` (the interpreter's
    /// `p * p` node adds `p · alpha` once per operand), or 0 without L2.
    func emitGradientStart() {
        let noL2 = builder.fcmp(.equal, alpha, emit.constant(0), name: "g0.off")
        _ = builder.loop("g0", count: layout.parameterCount, in: function) { p, _ in
            let value = builder.loadDouble(parameters, p, name: "g0.p")
            let half = builder.fmul(value, alpha, name: "g0.pa")
            let twice = builder.fadd(fresh(half, name: "g0.first"), half, name: "g0.second")
            builder.storeDouble(builder.select(noL2, emit.constant(0), twice, name: "g0"), gradients, p, name: "g0")
            return []
        }
    }

    /// The backward pass of one row, adding its contributions to `grads`.
    ///
    /// Per layer, last to first: for each neuron k, last to first, `ds = act'(y_k) · dy_k`;
    /// `grad(bias_k) += ds`; for each input j, `grad(w_kj) += x_j · ds` and (above layer 0)
    /// `dx_j += w_kj · ds`. The `dx` of one layer is the `dy` of the layer before.
    func emitBackward(sample: IRValue) throws {
        let last = layout.layers.count - 1
        if case .softmaxCrossEntropy = objective {
            softmaxAdjoints(sample: sample, into: adjointsA)
        } else {
            try emitScoreAdjoints(sample: sample, last: last)
        }
        var (current, other) = (adjointsA, adjointsB)
        for number in layout.layers.indices.reversed() {
            emitLayerBackward(number, sample: sample, outputAdjoints: current, inputAdjoints: number > 0 ? other : nil)
            swap(&current, &other)
        }
    }

    /// Each output's adjoint from its own loss term (one term per row and output).
    private func emitScoreAdjoints(sample: IRValue, last: Int) throws {
        _ = try builder.loop("b.out", count: layout.outputCount, in: function) { k, _ in
            let score = builder.loadDouble(activations, activationIndex(last, sample: sample, k), name: "b.score")
            let target = builder.loadDouble(targets, targetIndex(sample: sample, k), name: "b.target")
            let adjoint = try objectiveScoreAdjoint(score: score, target: target)
            builder.storeDouble(adjoint, adjointsA, k, name: "b.dscore")
            return []
        }
    }

    private func emitLayerBackward(_ number: Int, sample: IRValue, outputAdjoints: IRValue, inputAdjoints: IRValue?) {
        let layer = layout.layers[number]
        let name = "b\(number)"
        if let inputAdjoints {
            _ = builder.loop("\(name).z", count: layer.inputs, in: function) { j, _ in
                builder.storeDouble(emit.constant(0), inputAdjoints, j, name: "\(name).dx0")
                return []
            }
        }
        builder.reverseLoop("\(name).k", count: layer.outputs, in: function) { k in
            let upstream = builder.loadDouble(outputAdjoints, k, name: "\(name).dy")
            let output = builder.loadDouble(activations, activationIndex(number, sample: sample, k), name: "\(name).y")
            let ds = activationAdjoint(layer.activation, output: output, upstream: upstream, name: "\(name).ds")
            let rowStart = builder.offset(builder.mul(k, builder.index(layer.inputs + 1), name: "\(name).r"), by: layer.offset, name: "\(name).rs")
            builder.accumulate(ds, into: gradients, at: builder.offset(rowStart, by: layer.inputs, name: "\(name).bi"), name: "\(name).gb")
            _ = builder.loop("\(name).j", count: layer.inputs, in: function) { j, _ in
                let weightIndex = builder.add(rowStart, j, name: "\(name).wi")
                let x = layerInput(number, sample: sample, j)
                builder.accumulate(builder.fmul(x, ds, name: "\(name).gwc"), into: gradients, at: weightIndex, name: "\(name).gw")
                if let inputAdjoints {
                    let w = builder.loadDouble(parameters, weightIndex, name: "\(name).w")
                    builder.accumulate(builder.fmul(w, ds, name: "\(name).dxc"), into: inputAdjoints, at: j, name: "\(name).dx")
                }
                return []
            }
        }
    }

    /// The adjoint of a neuron's sum from its output's: the activation node's row of
    /// `Op.partials` times the upstream, added to the zeroed sum's grad (linear: no node).
    private func activationAdjoint(_ activation: Activation, output y: IRValue, upstream: IRValue, name: String) -> IRValue {
        let one = emit.constant(1)
        let partial: IRValue
        switch activation {
        case .linear:
            return upstream
        case .relu:
            // relu' = 0 where the output is <= 0, else 1 (a NaN output included), as `Op.partials`.
            let off = builder.fcmp(.lessThanOrEqual, y, emit.constant(0), name: "\(name).off")
            partial = builder.select(off, emit.constant(0), one, name: "\(name).p")
        case .tanh:
            partial = builder.fsub(one, builder.fmul(y, y, name: "\(name).sq"), name: "\(name).p")
        case .sigmoid:
            partial = builder.fmul(y, builder.fsub(one, y, name: "\(name).c"), name: "\(name).p")
        }
        return fresh(builder.fmul(partial, upstream, name: "\(name).g"), name: name)
    }
}
