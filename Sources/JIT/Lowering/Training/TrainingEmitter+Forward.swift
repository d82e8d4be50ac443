import Micrograd

extension TrainingEmitter {
    /// Copies each layer's weights to `transposed` as `[input][neuron]`, the biases as the
    /// last input row: `wt[offset + j·outputs + k] = params[offset + k·(inputs + 1) + j]`.
    func emitTranspose() {
        for (number, layer) in layout.layers.enumerated() {
            let name = "t\(number)"
            let stride = layer.inputs + 1
            _ = builder.loop("\(name).k", count: layer.outputs, in: function) { k, _ in
                let rowStart = builder.offset(builder.mul(k, builder.index(stride), name: "\(name).r"), by: layer.offset, name: "\(name).rs")
                _ = builder.loop("\(name).j", count: stride, in: function) { j, _ in
                    let value = builder.loadDouble(parameters, builder.add(rowStart, j, name: "\(name).src"), name: "\(name).w")
                    let column = builder.mul(j, builder.index(layer.outputs), name: "\(name).c")
                    let target = builder.add(builder.offset(column, by: layer.offset, name: "\(name).cs"), k, name: "\(name).dst")
                    builder.storeDouble(value, transposed, target, name: "\(name).wt")
                    return []
                }
                return []
            }
        }
    }

    /// The forward pass over every row; returns the loss terms' sum (added left to right) and
    /// the number of correct predictions (one term and one prediction per row and output).
    func emitForwardPass() throws -> (sum: IRValue, correct: IRValue) {
        // NOTE: the sum starts at -0, the identity of `+`, so it equals `t0 + t1 + ...` exactly.
        let start = [emit.constant(-0.0), emit.constant(0)]
        let totals = try builder.loop("fwd", runtimeCount: rowCount, in: function, carrying: start) { sample, carried in
            for number in layout.layers.indices {
                emitLayerForward(number, sample: sample)
            }
            if case .softmaxCrossEntropy = objective {
                // One term per row, over all its outputs.
                let (term, correct) = softmaxForward(sample: sample)
                return [builder.fadd(carried[0], term, name: "loss.sum"), builder.fadd(carried[1], correct, name: "correct.sum")]
            }
            // One loss term per output, added in row-major order (the scores flattened row by row).
            return try builder.loop("out", count: layout.outputCount, in: function, carrying: carried) { k, totals in
                let score = builder.loadDouble(activations, activationIndex(layout.layers.count - 1, sample: sample, k), name: "score")
                let target = builder.loadDouble(targets, targetIndex(sample: sample, k), name: "target")
                let (term, correct) = try objectiveForward(score: score, target: target)
                return [
                    builder.fadd(totals[0], term, name: "loss.sum"),
                    builder.fadd(totals[1], correct, name: "correct.sum"),
                ]
            }
        }
        return (totals[0], totals[1])
    }

    /// One layer of one row: `acc[k] = bias_k`, then `acc[k] = acc[k] + w_kj · x_j` for each
    /// input j in order, then the activation, stored to the row's activations.
    ///
    /// NOTE: the loops run inputs outside, neurons inside; each neuron's sum still adds its
    /// terms in input order (the interpreter's), while the inner loop over neurons reads
    /// `transposed` consecutively and vectorises with no reassociation.
    private func emitLayerForward(_ number: Int, sample: IRValue) {
        let layer = layout.layers[number]
        let name = "f\(number)"
        let biasRow = layer.offset + layer.inputs * layer.outputs
        _ = builder.loop("\(name).b", count: layer.outputs, in: function) { k, _ in
            let bias = builder.loadDouble(transposed, builder.offset(k, by: biasRow, name: "\(name).bi"), name: "\(name).bias")
            builder.storeDouble(bias, accumulator, k, name: "\(name).acc0")
            return []
        }
        _ = builder.loop("\(name).j", count: layer.inputs, in: function) { j, _ in
            let x = layerInput(number, sample: sample, j)
            let column = builder.offset(builder.mul(j, builder.index(layer.outputs), name: "\(name).c"), by: layer.offset, name: "\(name).cs")
            _ = builder.loop("\(name).k", count: layer.outputs, in: function) { k, _ in
                let w = builder.loadDouble(transposed, builder.add(column, k, name: "\(name).wi"), name: "\(name).w")
                let product = builder.fmul(w, x, name: "\(name).mul")
                builder.accumulate(product, into: accumulator, at: k, name: "\(name).acc")
                return []
            }
            return []
        }
        _ = builder.loop("\(name).o", count: layer.outputs, in: function) { k, _ in
            let sum = builder.loadDouble(accumulator, k, name: "\(name).sum")
            let output = emit.activation(layer.activation, sum, name: "\(name).\(layer.activation.rawValue)")
            builder.storeDouble(output, activations, activationIndex(number, sample: sample, k), name: "\(name).out")
            return []
        }
    }

    /// The loss: `sum · invN`, plus `(Σ p·p) · alpha` unless alpha is 0 (then no L2 term at
    /// all, as the interpreter's trainer builds none).
    func emitLoss(sum: IRValue) -> IRValue {
        let data = builder.fmul(sum, inverseCount, name: "loss.data")
        let noL2 = builder.fcmp(.equal, alpha, emit.constant(0), name: "l2.off")
        // NOTE (speed): the sum of squares is a sequential chain of adds (the interpreter's
        // order); it is skipped when alpha is 0.
        let context = builder.context
        let skipFrom = builder.currentBlock
        let run = function.appendBlock("l2.run", in: context)
        let join = function.appendBlock("l2.join", in: context)
        builder.branch(if: noL2, then: join, else: run)
        builder.position(atEndOf: run)
        let computed = builder.loop("l2", count: layout.parameterCount, in: function, carrying: [emit.constant(-0.0)]) {
            p, carried in
            let value = builder.loadDouble(parameters, p, name: "l2.p")
            return [builder.fadd(carried[0], builder.fmul(value, value, name: "l2.sq"), name: "l2.sum")]
        }[0]
        let runEnd = builder.currentBlock
        builder.branch(to: join)
        builder.position(atEndOf: join)
        let squares = builder.phi(context.double, name: "l2.total")
        builder.addIncoming(squares, emit.constant(-0.0), from: skipFrom)
        builder.addIncoming(squares, computed, from: runEnd)
        let regularized = builder.fadd(data, builder.fmul(squares, alpha, name: "loss.l2"), name: "loss.total")
        return builder.select(noL2, data, regularized, name: "loss")
    }
}
