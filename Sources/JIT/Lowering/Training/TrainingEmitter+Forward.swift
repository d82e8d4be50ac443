import Micrograd

extension TrainingEmitter {
    /// Layer `number`'s outputs for the `count` rows from `first`: tiles of `count` rows by
    /// ``TrainingTiling/vectors`` vectors of neurons, then the remaining vectors (fewer) as one
    /// more tile, which shares each step's broadcasts among them.
    ///
    /// NOTE: both loops have run-time trip counts (constants LLVM folds), so the emitted code
    /// is the same whatever the layer's width (`ir()` stays the same size).
    func emitLayerForward(_ number: Int, first: IRValue, count: Int) throws {
        let vectors = layout.paddedWidths[number] / tiling.lanes
        let groups = vectors / tiling.vectors, rest = vectors % tiling.vectors
        let groupWidth = tiling.vectors * tiling.lanes
        _ = try builder.loop("f\(number).g", runtimeCount: builder.index(groups), in: function) { group, _ in
            let k0 = builder.mul(group, builder.index(groupWidth), name: "f\(number).k0")
            try emitForwardTile(number, first: first, count: count, k0: k0, vectors: tiling.vectors)
            return []
        }
        if rest > 0 {
            try emitForwardTile(number, first: first, count: count, k0: builder.index(groups * groupWidth), vectors: rest)
        }
    }

    /// One register tile: `acc[r][v] = bias`, then `acc[r][v] = acc[r][v] + w_j[v] · x_rj` for
    /// each input j ascending, then the activation, stored to the rows' activations.
    ///
    /// NOTE (numerics): each lane is one neuron of one row, summed in the interpreter's order
    /// (bias, then inputs ascending); the vectors run across neurons, never across the sum.
    /// NOTE (performance): per input, `vectors` loads of consecutive transposed weights and
    /// `count` broadcasts of the rows' inputs feed `count · vectors` independent accumulators.
    private func emitForwardTile(_ number: Int, first: IRValue, count: Int, k0: IRValue, vectors: Int) throws {
        let layer = layout.layers[number], lanes = tiling.lanes, name = "f\(number)"
        let padded = layout.paddedWidths[number], base = layout.transposedOffsets[number]
        let lane = (0..<vectors).map { builder.add(k0, builder.index($0 * lanes), name: "\(name).kv") }
        let biasRow = base + layer.inputs * padded
        let biases = try lane.map { k in
            try builder.loadDoubles(transposed, builder.offset(k, by: biasRow, name: "\(name).bi"), lanes: lanes,
                                    valid: lanes, name: "\(name).bias")
        }
        let samples = (0..<count).map { builder.offset(first, by: $0, name: "\(name).r") }
        let initial = samples.flatMap { _ in biases }
        let sums = try builder.loop("\(name).j", count: layer.inputs, in: function, carrying: initial) { j, acc in
            let column = builder.offset(builder.mul(j, builder.index(padded), name: "\(name).c"), by: base, name: "\(name).cs")
            let weights = try lane.map { k in
                try builder.loadDoubles(transposed, builder.add(column, k, name: "\(name).wi"), lanes: lanes,
                                        valid: lanes, name: "\(name).w")
            }
            var next: [IRValue] = []
            for (r, sample) in samples.enumerated() {
                let (buffer, index) = inputIndex(number, sample: sample, j)
                let x = builder.broadcast(builder.loadDouble(buffer, index, name: "\(name).x"), lanes: lanes, name: "\(name).xb")
                for v in 0..<vectors {
                    next.append(try multiplyAdd(acc[r * vectors + v], weights[v], x, name: "\(name).acc"))
                }
            }
            return next
        }
        for (r, sample) in samples.enumerated() {
            for v in 0..<vectors {
                let output = activation(layer.activation, sums[r * vectors + v], lanes: lanes, name: "\(name).act")
                let target = activationIndex(number, sample: sample, lane[v])
                try builder.storeDoubles(output, work, target, lanes: lanes, valid: lanes, name: "\(name).out")
            }
        }
    }

    /// The layer activation lane by lane (`relu` as a select; `tanh` and `sigmoid` through the
    /// scalar code per lane, which calls libm as the interpreter does).
    func activation(_ activation: Activation, _ x: IRValue, lanes: Int, name: String) -> IRValue {
        switch activation {
        case .linear: return x
        case .relu: return builder.relu(x, zero: x.type.zero, name: name)
        case .tanh, .sigmoid:
            return builder.mapLanes(x, lanes: lanes, name: name) { element, lane in
                emit.activation(activation, element, name: "\(name).\(lane)")
            }
        }
    }
}
