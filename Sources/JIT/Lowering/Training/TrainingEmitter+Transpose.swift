import Micrograd

extension TrainingEmitter {
    /// The `prepare` phase for the work items `begin..<end` (any split): copies each layer's
    /// weights to `transposed` as `[input][neuron]`, the biases as the last input row, neurons
    /// padded to whole vectors (the padding stays 0 from allocation):
    /// `wt[offset + j·padded + k] = params[offset + k·(inputs + 1) + j]`. Item i is a run of
    /// `TrainingLayout.transposeColumns` columns `j` of one layer (layer by layer, see
    /// `TrainingLayout.transposeItemStart`).
    ///
    /// NOTE (performance): the neuron loop is the inner one, so the stores are consecutive and
    /// the loads walk down the weight rows, whose cache lines serve the next columns too. Stores
    /// down the columns instead (the neuron loop outside) touched a new line per store: on the
    /// MNIST-size step (MLP(784,[128,64,10]), 2-core Xeon, AVX-512) the copy took 330 us on one
    /// thread, now 38 us (digits, MLP(64,[32,10]): 1.4 us, now 0.8 us).
    func emitTranspose() throws {
        let columns = TrainingLayout.transposeColumns
        for (number, layer) in layout.layers.enumerated() {
            let stride = layer.inputs + 1
            try emitLayerItems("t\(number)", first: layout.transposeItemStart(number), whole: stride / columns,
                               size: columns, partial: stride % columns) { item, count in
                let j0 = builder.mul(item, builder.index(columns), name: "t\(number).j0")
                emitTransposeColumns(number, from: j0, count: count)
            }
        }
    }

    /// Copies the columns `j0 ..< j0 + count` of layer `number`'s weights to `transposed`.
    private func emitTransposeColumns(_ number: Int, from j0: IRValue, count: Int) {
        let layer = layout.layers[number], name = "t\(number)", padded = layout.paddedWidths[number]
        let stride = layer.inputs + 1
        _ = builder.loop("\(name).j", count: count, in: function) { step, _ in
            let j = builder.add(j0, step, name: "\(name).jj")
            let column = builder.mul(j, builder.index(padded), name: "\(name).c")
            let start = builder.offset(column, by: layout.transposedOffsets[number], name: "\(name).cs")
            let source = builder.offset(j, by: layer.offset, name: "\(name).s0")
            _ = builder.loop("\(name).k", count: layer.outputs, in: function) { k, _ in
                let row = builder.mul(k, builder.index(stride), name: "\(name).r")
                let at = builder.add(source, row, name: "\(name).src")
                let value = builder.loadDouble(parameters, at, name: "\(name).w")
                builder.storeDouble(value, transposed, builder.add(start, k, name: "\(name).dst"), name: "\(name).wt")
                return []
            }
            return []
        }
    }
}
