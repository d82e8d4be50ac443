import Micrograd

extension TrainingEmitter {
    /// The `grads` phase for the work items `begin..<end`: item i is a tile of
    /// ``TrainingTiling/gradientNeurons`` neurons of one layer (layer by layer, see
    /// `TrainingLayout.gradientItemStart`), whose weight and bias gradients it completes; or,
    /// for a layer vectorised over its neurons, a tile of vectors of neurons
    /// (`TrainingEmitter+NeuronGradients.swift`).
    func emitGradientTiles() throws {
        let height = tiling.gradientNeurons
        for (number, layer) in layout.layers.enumerated() {
            if layout.gradientsOverNeurons(number) {
                try emitNeuronGradientItems(number)
                continue
            }
            try emitLayerItems("gt\(number)", first: layout.gradientItemStart(number), whole: layer.outputs / height,
                               size: height, partial: layer.outputs % height) { tile, neurons in
                let k0 = builder.mul(tile, builder.index(height), name: "gt\(number).k0")
                try emitGradientColumns(number, k0: k0, neurons: neurons)
            }
        }
    }

    /// The work items of one layer that `begin..<end` selects: items `first ..< first + whole`,
    /// tiles of `size` units (`body(tile, size)`, `tile` counted from the layer's first item),
    /// then item `first + whole`, one shorter tile of the `partial` units left over, if any.
    func emitLayerItems(
        _ name: String, first: Int, whole: Int, size: Int, partial: Int,
        body: (_ tile: IRValue, _ units: Int) throws -> Void
    ) throws {
        let low = builder.smax(begin, builder.index(first), name: "\(name).lo")
        let high = builder.smin(end, builder.index(first + whole), name: "\(name).hi")
        _ = try builder.loop(name, runtimeCount: builder.sub(high, low, name: "\(name).n"), in: function) { step, _ in
            let item = builder.add(low, step, name: "\(name).i")
            try body(builder.sub(item, builder.index(first), name: "\(name).t"), size)
            return []
        }
        guard partial > 0 else { return }
        let item = builder.index(first + whole)
        let started = builder.lessThan(item, begin, name: "\(name).p.before")
        let selected = builder.lessThan(item, end, name: "\(name).p.lt")
        let inside = builder.select(started, builder.context.bool.zero, selected, name: "\(name).p.in")
        let run = function.appendBlock("\(name).p.run", in: builder.context)
        let next = function.appendBlock("\(name).p.next", in: builder.context)
        builder.branch(if: inside, then: run, else: next)
        builder.position(atEndOf: run)
        try body(builder.index(whole), partial)
        builder.branch(to: next)
        builder.position(atEndOf: next)
    }

    /// Every gradient of the `neurons` neurons from `k0` of layer `number`: the inputs' columns
    /// in groups of ``TrainingTiling/gradientVectors`` whole vectors, then the remaining
    /// vectors (at most as many) as one more tile, masked to the row's end, the bias column's
    /// input set to 1.
    ///
    /// NOTE (performance): each tile's accumulators are chains of adds over all rows, so a
    /// tile of few accumulators waits on the add latency; taking the last neurons and the last
    /// vectors together (not one at a time) keeps `neurons x vectors` chains in flight. Measured
    /// on the moons step (MLP(2,[16,16,1]), 100 rows, AVX-512): the `grads` phase went from
    /// 4.1 us to 2.7 us per step (the whole step 8.7 to 7.4 us).
    private func emitGradientColumns(_ number: Int, k0: IRValue, neurons: Int) throws {
        let layer = layout.layers[number], lanes = tiling.lanes, width = tiling.gradientVectors
        let groups = layer.inputs / lanes / width
        let allVectors = (layer.inputs + 1 + lanes - 1) / lanes
        let whole = GradientVector(inputs: nil, bias: nil, stored: nil)
        _ = try builder.loop("gc\(number)", runtimeCount: builder.index(groups), in: function) { group, _ in
            let c0 = builder.mul(group, builder.index(width * lanes), name: "gc\(number).c0")
            try emitGradientTile(number, k0: k0, neurons: neurons, c0: c0, vectors: Array(repeating: whole, count: width))
            return []
        }
        // The vectors left over (at most `width`), in one tile: lanes below `inputs - c` are
        // inputs; the lane at `inputs - c` (if any) is the bias.
        let c0 = groups * width * lanes
        let rest = (0..<(allVectors - groups * width)).map { v -> GradientVector in
            let inputs = layer.inputs - (c0 + v * lanes)
            guard inputs < lanes else { return whole }
            return GradientVector(inputs: builder.index(inputs), bias: builder.index(inputs),
                                  stored: builder.index(inputs + 1))
        }
        if !rest.isEmpty {
            try emitGradientTile(number, k0: k0, neurons: neurons, c0: builder.index(c0), vectors: rest)
        }
    }

    /// One vector of a gradient tile's columns: the run-time number of lanes that are inputs,
    /// the bias lane, and the number of lanes that are this neuron's gradients (nil: all lanes
    /// are inputs, no bias).
    private struct GradientVector {
        let inputs: IRValue?
        let bias: IRValue?
        let stored: IRValue?
    }

    /// One register tile: `acc[kk][v]` ← the gradients' L2 start (`gradientStart`), then
    /// `acc[kk][v] = acc[kk][v] + x_r[v] · ds_r,k` for every row r, last row first; stored back.
    ///
    /// NOTE (numerics): each lane is one weight's gradient, its contributions added in the
    /// interpreter's order (rows descending); the bias lane's input is 1 and `1 · ds == ds`
    /// exactly, the interpreter's bias contribution. Masked loads and stores touch only the
    /// neuron's own gradients and the rows' own inputs (the data rows are not padded).
    /// NOTE (performance): per row, `vectors` loads of consecutive inputs and `neurons`
    /// broadcasts of adjoints feed `neurons · vectors` independent accumulators; each tile
    /// reads every row's inputs once, so taller tiles read the inputs fewer times.
    private func emitGradientTile(
        _ number: Int, k0: IRValue, neurons: Int, c0: IRValue, vectors: [GradientVector]
    ) throws {
        let layer = layout.layers[number], lanes = tiling.lanes, name = "gw\(number)"
        let lane = vectors.indices.map { builder.add(c0, builder.index($0 * lanes), name: "\(name).cv") }
        let units = (0..<neurons).map { builder.offset(k0, by: $0, name: "\(name).k") }
        let rowStarts = units.map { k in
            builder.offset(builder.mul(k, builder.index(layer.inputs + 1), name: "\(name).r"), by: layer.offset,
                           name: "\(name).rs")
        }
        var initial: [IRValue] = []
        for start in rowStarts {
            for (v, vector) in vectors.enumerated() {
                let index = builder.add(start, lane[v], name: "\(name).gi")
                let value = try load(parameters, index, valid: vector.stored, name: "\(name).p0")
                initial.append(gradientStart(value, name: "\(name).g0"))
            }
        }
        let one = constant(1, lanes: lanes)
        let sums = try gradientRowLoop("bwd", carrying: initial) { sample, acc in
            let inputs = try vectors.enumerated().map { v, vector in
                let (buffer, index) = inputIndex(number, sample: sample, lane[v])
                let x = try load(buffer, index, valid: vector.inputs, name: "\(name).x")
                guard let bias = vector.bias else { return x }
                let isBias = builder.laneIndices(lanes: lanes, equalTo: bias, name: "\(name).isb")
                return builder.select(isBias, one, x, name: "\(name).x1")
            }
            var next: [IRValue] = []
            for (kk, k) in units.enumerated() {
                let ds = builder.loadDouble(adjoints, activationIndex(number, sample: sample, k), name: "\(name).ds")
                let spread = builder.broadcast(ds, lanes: lanes, name: "\(name).dsb")
                for v in vectors.indices {
                    next.append(try multiplyAdd(acc[kk * vectors.count + v], inputs[v], spread, name: "\(name).acc"))
                }
            }
            return next
        }
        for (kk, start) in rowStarts.enumerated() {
            for (v, vector) in vectors.enumerated() {
                let index = builder.add(start, lane[v], name: "\(name).go")
                if let stored = vector.stored {
                    try builder.storeDoubles(sums[kk * vectors.count + v], gradients, index, lanes: lanes,
                                             validCount: stored, name: "\(name).g")
                } else {
                    try builder.storeDoubles(sums[kk * vectors.count + v], gradients, index, lanes: lanes, valid: lanes,
                                             name: "\(name).g")
                }
            }
        }
    }

    /// A vector at `buffer[index]`: every lane (`valid` nil), or the lanes below `valid`.
    func load(_ buffer: IRValue, _ index: IRValue, valid: IRValue?, name: String) throws -> IRValue {
        guard let valid else {
            return try builder.loadDoubles(buffer, index, lanes: tiling.lanes, valid: tiling.lanes, name: name)
        }
        return try builder.loadDoubles(buffer, index, lanes: tiling.lanes, validCount: valid, name: name)
    }
}
