import Micrograd

extension GPUTrainingEmitter {
    /// One row: every layer's outputs, the row's loss terms, flags and top sum adjoints (the CPU
    /// step's `emitObjectiveRow`), then every lower layer's sum adjoints, top down.
    func emitRow(_ step: TrainingEmitter, row: IRValue) throws {
        for number in layout.layers.indices {
            emitForward(step, layer: number, row: row)
        }
        try step.emitObjectiveRow(sample: row)
        for number in layout.layers.indices.reversed() where number > 0 {
            emitInputAdjoints(step, layer: number, row: row)
        }
    }

    /// Layer `number`'s outputs: per neuron k, `acc = b_k`, `acc = acc + w_kj · x_j` for j
    /// ascending, the activation, stored to the row's activations. The weights are read where
    /// the parameters keep them (row by row, weights then bias).
    private func emitForward(_ step: TrainingEmitter, layer number: Int, row: IRValue) {
        let builder = step.builder, layer = layout.layers[number], name = "f\(number)"
        _ = builder.loop("\(name).k", count: layer.outputs, in: step.function) { k, _ in
            let base = builder.offset(builder.mul(k, builder.index(layer.inputs + 1), name: "\(name).r"),
                                      by: layer.offset, name: "\(name).base")
            let bias = builder.loadDouble(
                step.parameters, builder.offset(base, by: layer.inputs, name: "\(name).bi"), name: "\(name).b")
            let sum = builder.loop("\(name).j", count: layer.inputs, in: step.function, carrying: [bias]) { j, acc in
                let w = builder.loadDouble(step.parameters, builder.add(base, j, name: "\(name).wi"), name: "\(name).w")
                let (buffer, index) = step.inputIndex(number, sample: row, j)
                let x = builder.loadDouble(buffer, index, name: "\(name).x")
                return [builder.fadd(acc[0], builder.fmul(w, x, name: "\(name).m"), name: "\(name).acc")]
            }[0]
            let y = step.emit.activation(layer.activation, sum, name: "\(name).y")
            builder.storeDouble(y, step.work, step.activationIndex(number, sample: row, k), name: "\(name).out")
            return []
        }
    }

    /// Layer `number - 1`'s sum adjoints from layer `number`'s: `dx_j = 0 + w_kj · ds_k` for k
    /// descending, then `ds_j = act'(y_j) · dx_j` (`TrainingEmitter.activationAdjoint`).
    private func emitInputAdjoints(_ step: TrainingEmitter, layer number: Int, row: IRValue) {
        let builder = step.builder, layer = layout.layers[number], name = "dx\(number)"
        let below = layout.layers[number - 1].activation
        _ = builder.loop("\(name).j", count: layer.inputs, in: step.function) { j, _ in
            let sum = builder.loop("\(name).k", count: layer.outputs, in: step.function,
                                   carrying: [step.emit.constant(0)]) { down, acc in
                let k = builder.sub(builder.index(layer.outputs - 1), down, name: "\(name).k")
                let base = builder.offset(builder.mul(k, builder.index(layer.inputs + 1), name: "\(name).r"),
                                          by: layer.offset, name: "\(name).base")
                let w = builder.loadDouble(step.parameters, builder.add(base, j, name: "\(name).wi"), name: "\(name).w")
                let above = step.activationIndex(number, sample: row, k)
                let ds = builder.loadDouble(step.adjoints, above, name: "\(name).ds")
                return [builder.fadd(acc[0], builder.fmul(w, ds, name: "\(name).m"), name: "\(name).acc")]
            }[0]
            let index = step.activationIndex(number - 1, sample: row, j)
            let y = builder.loadDouble(step.work, index, name: "\(name).y")
            let ds = step.activationAdjoint(below, output: y, upstream: sum, name: "\(name).s")
            builder.storeDouble(ds, step.adjoints, index, name: "\(name).out")
            return []
        }
    }
}
