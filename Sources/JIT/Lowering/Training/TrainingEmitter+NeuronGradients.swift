import Micrograd

extension TrainingEmitter {
    /// The `grads` items of layer `number` when its gradients are vectorised over its neurons
    /// (`TrainingLayout.gradientsOverNeurons`): item i is ``TrainingTiling/gradientNeuronVectors``
    /// vectors of neurons (the last item fewer), all of their input columns and the bias.
    func emitNeuronGradientItems(_ number: Int) throws {
        let first = layout.gradientItemStart(number), perItem = tiling.gradientNeuronVectors
        let vectors = layout.paddedWidths[number] / tiling.lanes
        try emitLayerItems("nt\(number)", first: first, whole: vectors / perItem, size: perItem,
                           partial: vectors % perItem) { group, count in
            try emitNeuronGradientColumns(number, group: group, vectors: count)
        }
    }

    /// The gradients of the `vectors` vectors of neurons of item `group`: the input columns in
    /// tiles of ``TrainingTiling/gradientColumns`` (a loop), then the columns left over and the
    /// bias column as one more tile.
    ///
    /// NOTE: the loop has a run-time trip count (a constant LLVM folds), so the emitted code is
    /// the same whatever the layer's width.
    private func emitNeuronGradientColumns(_ number: Int, group: IRValue, vectors: Int) throws {
        let layer = layout.layers[number], columns = tiling.gradientColumns
        let k0 = builder.mul(group, builder.index(tiling.gradientNeuronVectors * tiling.lanes), name: "ng\(number).k0")
        let groups = layer.inputs / columns
        _ = try builder.loop("nc\(number)", runtimeCount: builder.index(groups), in: function) { index, _ in
            let c0 = builder.mul(index, builder.index(columns), name: "nc\(number).c0")
            try emitNeuronGradientTile(number, k0: k0, vectors: vectors, c0: c0, columns: columns, bias: false)
            return []
        }
        try emitNeuronGradientTile(number, k0: k0, vectors: vectors, c0: builder.index(groups * columns),
                                   columns: layer.inputs - groups * columns, bias: true)
    }

    /// One register tile: `acc[v][c]` ← the L2 start (`gradientStart`) of the gradients
    /// `G[k][c]` of the neurons `k` in vector `v`, then `acc[v][c] = acc[v][c] + ds_r,k · x_r,c` for every row r, last
    /// row first (`x_r,c = 1` for the bias column); stored back.
    ///
    /// NOTE (numerics): each lane is one weight's gradient, its contributions added in the
    /// interpreter's order (rows descending), as over inputs: the same operations on the same
    /// values, so the same bits. The neurons' adjoints are a row's consecutive `ds` (padding
    /// lanes past the layer's neurons are computed on and never stored); the gradients, a
    /// column of the row-major weights, are scattered (their parameters gathered) once per tile.
    private func emitNeuronGradientTile(
        _ number: Int, k0: IRValue, vectors: Int, c0: IRValue, columns inputColumns: Int, bias: Bool
    ) throws {
        let layer = layout.layers[number], lanes = tiling.lanes, name = "gn\(number)"
        let stride = layer.inputs + 1
        // The tile's columns: `inputColumns` inputs from c0, then the bias column (index `inputs`).
        let columns = Array(0..<inputColumns) + (bias ? [-1] : [])
        func column(_ position: Int) -> IRValue {
            columns[position] < 0 ? builder.index(layer.inputs) : builder.offset(c0, by: position, name: "\(name).c")
        }
        // The first gradient of vector v in column `position`, and how many of its lanes are neurons.
        func gradientColumn(_ v: Int, _ position: Int) -> (base: IRValue, valid: IRValue) {
            let k = builder.offset(k0, by: v * lanes, name: "\(name).k")
            let row = builder.offset(builder.mul(k, builder.index(stride), name: "\(name).r"), by: layer.offset,
                                     name: "\(name).rs")
            return (builder.add(row, column(position), name: "\(name).at"),
                    builder.sub(builder.index(layer.outputs), k, name: "\(name).valid"))
        }
        var initial: [IRValue] = []
        for v in 0..<vectors {
            for position in columns.indices {
                let (base, valid) = gradientColumn(v, position)
                let values = try builder.gatherDoubles(parameters, base: base, stride: stride, lanes: lanes,
                                                       validCount: valid, name: "\(name).p0")
                initial.append(gradientStart(values, name: "\(name).g0"))
            }
        }
        let one = constant(1, lanes: lanes)
        let sums = try gradientRowLoop("bwn", carrying: initial) { sample, acc in
            var adjoints: [IRValue] = []
            for v in 0..<vectors {
                let k = builder.offset(k0, by: v * lanes, name: "\(name).kv")
                adjoints.append(try load(self.adjoints, activationIndex(number, sample: sample, k), valid: nil,
                                         name: "\(name).ds"))
            }
            let inputs = columns.indices.map { position -> IRValue in
                guard columns[position] >= 0 else { return one }
                let (buffer, at) = inputIndex(number, sample: sample, column(position))
                return builder.broadcast(builder.loadDouble(buffer, at, name: "\(name).x"), lanes: lanes, name: "\(name).xb")
            }
            var next: [IRValue] = []
            for v in 0..<vectors {
                for (position, x) in inputs.enumerated() {
                    next.append(try multiplyAdd(acc[v * columns.count + position], x, adjoints[v], name: "\(name).acc"))
                }
            }
            return next
        }
        for v in 0..<vectors {
            for position in columns.indices {
                let (base, valid) = gradientColumn(v, position)
                try builder.scatterDoubles(sums[v * columns.count + position], gradients, base: base, stride: stride,
                                           lanes: lanes, validCount: valid, name: "\(name).g")
            }
        }
    }
}
