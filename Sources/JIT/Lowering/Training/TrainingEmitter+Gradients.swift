import Micrograd

extension TrainingEmitter {
    /// The `grads` phase for the work items `begin..<end`: item i is a block of
    /// ``TrainingTiling/gradientVectors`` vectors of one layer's inputs (the last block: the
    /// vectors left over, with the bias lane) for every neuron of the layer (layer by layer, see
    /// `TrainingLayout.gradientItemStart`), whose weight and bias gradients it completes; or,
    /// for a layer vectorised over its neurons, a tile of vectors of neurons
    /// (`TrainingEmitter+NeuronGradients.swift`).
    ///
    /// NOTE (performance): an item runs its tiles of ``TrainingTiling/gradientNeurons``
    /// neurons over the same block of inputs, so the rows' inputs of that block (256 rows x 32
    /// doubles = 64 KB on AVX-512) are read from the caches by every tile. With items of a few
    /// neurons over all the inputs instead, each item read all the rows' inputs: for the
    /// MNIST-size step (784 inputs, 256 rows: 1.6 MB, as much as the second-level cache holds
    /// beside the rest) 22 times a step. Measured on the 2-vCPU Xeon (AVX-512), W6b on 2
    /// threads (`mgrad bench --only w6`), alternating builds: the `grads` phase 1.03-1.16 ms ->
    /// 0.88-0.92 ms, the update 58 -> 72 us (each item now writes a stripe of columns of every
    /// neuron's gradients, so both cores' caches hold parts of each row); the whole step exact
    /// 2.04-2.17 -> 1.90-1.96 ms, fast 1.37-1.50 -> 1.26-1.37 ms; W2 and W6 unchanged.
    func emitGradientTiles() throws {
        let lanes = tiling.lanes, width = tiling.gradientVectors
        for (number, layer) in layout.layers.enumerated() {
            if layout.gradientsOverNeurons(number) {
                try emitNeuronGradientItems(number)
                continue
            }
            // The whole blocks, then the block of the vectors left over (with the bias lane).
            let first = layout.gradientItemStart(number), blocks = layout.gradientInputBlocks(number)
            let full = GradientVector(inputs: nil, bias: nil, stored: nil)
            try emitLayerItems("gt\(number)", first: first, whole: blocks.whole, size: width, partial: 0) { block, _ in
                let c0 = builder.mul(block, builder.index(width * lanes), name: "gt\(number).c0")
                try emitGradientBlock(number, c0: c0, vectors: Array(repeating: full, count: width))
            }
            let c0 = blocks.whole * width * lanes
            let rest = (0..<blocks.rest).map { v -> GradientVector in
                let inputs = layer.inputs - (c0 + v * lanes)
                guard inputs < lanes else { return full }
                return GradientVector(inputs: builder.index(inputs), bias: builder.index(inputs),
                                      stored: builder.index(inputs + 1))
            }
            try emitItem("gr\(number)", at: first + blocks.whole) {
                try emitGradientBlock(number, c0: builder.index(c0), vectors: rest)
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
        try emitItem("\(name).p", at: first + whole) { try body(builder.index(whole), partial) }
    }

    /// The work item `item`, if `begin..<end` selects it (`body`).
    func emitItem(_ name: String, at item: Int, body: () throws -> Void) throws {
        let item = builder.index(item)
        let started = builder.lessThan(item, begin, name: "\(name).before")
        let selected = builder.lessThan(item, end, name: "\(name).lt")
        let inside = builder.select(started, builder.context.bool.zero, selected, name: "\(name).in")
        let run = function.appendBlock("\(name).run", in: builder.context)
        let next = function.appendBlock("\(name).next", in: builder.context)
        builder.branch(if: inside, then: run, else: next)
        builder.position(atEndOf: run)
        try body()
        builder.branch(to: next)
        builder.position(atEndOf: next)
    }

    /// Every gradient of layer `number` in the input block from column `c0` (`vectors`): its
    /// tiles of ``TrainingTiling/gradientNeurons`` neurons, then the neurons left over as one
    /// shorter tile.
    ///
    /// NOTE (performance): each tile's accumulators are chains of adds over all rows, so a
    /// tile of few accumulators waits on the add latency; taking the last neurons and the last
    /// vectors together (not one at a time) keeps `neurons x vectors` chains in flight. Measured
    /// on the moons step (MLP(2,[16,16,1]), 100 rows, AVX-512): the `grads` phase went from
    /// 4.1 us to 2.7 us per step (the whole step 8.7 to 7.4 us).
    private func emitGradientBlock(_ number: Int, c0: IRValue, vectors: [GradientVector]) throws {
        let outputs = layout.layers[number].outputs, height = tiling.gradientNeurons
        _ = try builder.loop("gn\(number)", runtimeCount: builder.index(outputs / height), in: function) { tile, _ in
            let k0 = builder.mul(tile, builder.index(height), name: "gn\(number).k0")
            try emitGradientTile(number, k0: k0, neurons: height, c0: c0, vectors: vectors)
            return []
        }
        if outputs % height > 0 {
            try emitGradientTile(number, k0: builder.index(outputs / height * height), neurons: outputs % height,
                                 c0: c0, vectors: vectors)
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
