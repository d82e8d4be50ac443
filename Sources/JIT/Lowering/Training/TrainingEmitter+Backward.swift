import Micrograd

extension TrainingEmitter {
    /// A gradient's start, the L2 term's contribution from the parameter `value` (a double or
    /// a vector): `(0 + p·alpha) + p·alpha` (the interpreter's `p * p` node adds `p · alpha`
    /// once per operand), or 0 without L2. The gradient tiles start their sums from it.
    func gradientStart(_ value: IRValue, name: String) -> IRValue {
        let noL2 = builder.fcmp(.equal, alpha, emit.constant(0), name: "\(name).off")
        let lanes = value.type.ref == emit.constant(0).type.ref ? 1 : tiling.lanes
        let half = builder.fmul(value, lanes == 1 ? alpha : builder.broadcast(alpha, lanes: lanes, name: "\(name).a"),
                                name: "\(name).pa")
        let twice = builder.fadd(fresh(half, name: "\(name).first"), half, name: "\(name).second")
        return builder.select(noL2, value.type.zero, twice, name: name)
    }

    /// The sum adjoints of layer `number - 1` for the `count` rows from `first`, from layer
    /// `number`'s: `dx_rj = 0 + w_kj · ds_rk` for k descending (the interpreter visits a
    /// layer's neurons last to first), then `ds = act'(y) · dx` (`activationAdjoint`).
    ///
    /// Tiles of `count` rows by ``TrainingTiling/vectors`` vectors of inputs, read from the
    /// row-major parameters (a weight row's inputs are consecutive), then the remaining vectors
    /// (fewer) as one more tile; the last is a masked load (the lanes below the row's input count), so nothing
    /// past a weight row, or past the parameters, is read.
    func emitInputAdjoints(_ number: Int, first: IRValue, count: Int) throws {
        let layer = layout.layers[number], lanes = tiling.lanes
        let fullVectors = layer.inputs / lanes, allVectors = (layer.inputs + lanes - 1) / lanes
        let groups = fullVectors / tiling.vectors
        let groupWidth = tiling.vectors * lanes
        _ = try builder.loop("dx\(number).g", runtimeCount: builder.index(groups), in: function) { group, _ in
            let j0 = builder.mul(group, builder.index(groupWidth), name: "dx\(number).j0")
            try emitInputAdjointTile(number, first: first, count: count, j0: j0,
                                     valid: Array(repeating: nil, count: tiling.vectors))
            return []
        }
        let rest = allVectors - groups * tiling.vectors
        let j1 = groups * groupWidth
        let valid: [IRValue?] = (0..<rest).map { v in
            let inputs = layer.inputs - (j1 + v * lanes)
            return inputs >= lanes ? nil : builder.index(inputs)
        }
        if rest > 0 {
            try emitInputAdjointTile(number, first: first, count: count, j0: builder.index(j1), valid: valid)
        }
    }

    /// One tile: vector v's lanes below `valid[v]` are inputs (nil: every lane), the rest
    /// padding, never stored to memory that is read as a value.
    ///
    /// NOTE (performance): per neuron, `valid.count` weight loads and `count` broadcasts of the
    /// rows' adjoints feed `count · valid.count` independent accumulators.
    private func emitInputAdjointTile(_ number: Int, first: IRValue, count: Int, j0: IRValue, valid: [IRValue?]) throws {
        let layer = layout.layers[number], lanes = tiling.lanes, name = "dx\(number)"
        let below = layout.layers[number - 1].activation
        let lane = valid.indices.map { builder.add(j0, builder.index($0 * lanes), name: "\(name).jv") }
        let samples = (0..<count).map { builder.offset(first, by: $0, name: "\(name).r") }
        let initial = Array(repeating: constant(0, lanes: lanes), count: count * valid.count)
        let sums = try builder.loop("\(name).k", count: layer.outputs, in: function, carrying: initial) { step, acc in
            let k = builder.sub(builder.index(layer.outputs - 1), step, name: "\(name).k")
            let rowStart = builder.offset(builder.mul(k, builder.index(layer.inputs + 1), name: "\(name).wr"),
                                          by: layer.offset, name: "\(name).ws")
            let weights = try lane.enumerated().map { v, j in
                let index = builder.add(rowStart, j, name: "\(name).wi")
                guard let limit = valid[v] else {
                    return try builder.loadDoubles(parameters, index, lanes: lanes, valid: lanes, name: "\(name).w")
                }
                return try builder.loadDoubles(parameters, index, lanes: lanes, validCount: limit, name: "\(name).w")
            }
            var next: [IRValue] = []
            for (r, sample) in samples.enumerated() {
                let ds = builder.loadDouble(adjoints, activationIndex(number, sample: sample, k), name: "\(name).ds")
                let spread = builder.broadcast(ds, lanes: lanes, name: "\(name).dsb")
                for v in valid.indices {
                    next.append(try multiplyAdd(acc[r * valid.count + v], weights[v], spread, name: "\(name).acc"))
                }
            }
            return next
        }
        for (r, sample) in samples.enumerated() {
            for v in valid.indices {
                let index = activationIndex(number - 1, sample: sample, lane[v])
                let output = try builder.loadDoubles(work, index, lanes: lanes, valid: lanes, name: "\(name).y")
                let ds = activationAdjoint(below, output: output, upstream: sums[r * valid.count + v], name: "\(name).s")
                try builder.storeDoubles(ds, adjoints, index, lanes: lanes, valid: lanes, name: "\(name).out")
            }
        }
    }
}
