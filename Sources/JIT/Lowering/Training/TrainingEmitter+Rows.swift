import Micrograd

extension TrainingEmitter {
    /// The `rows` phase for the rows `begin..<end`: tiles of ``TrainingTiling/rows`` rows, then
    /// the remaining rows one at a time. Every row gets the same operations whichever tile it
    /// is in, so the split (and the thread) changes no bit.
    func emitRows() throws {
        let height = tiling.rows
        let span = builder.sub(end, begin, name: "rows.span")
        let tiles = builder.sdiv(span, builder.index(height), name: "rows.tiles")
        _ = try builder.loop("rt", runtimeCount: tiles, in: function) { tile, _ in
            let first = builder.add(begin, builder.mul(tile, builder.index(height), name: "rt.off"), name: "rt.first")
            try emitRowTile(first: first, count: height)
            return []
        }
        let done = builder.add(begin, builder.mul(tiles, builder.index(height), name: "rr.off"), name: "rr.first")
        _ = try builder.loop("rr", runtimeCount: builder.sub(end, done, name: "rr.count"), in: function) { step, _ in
            try emitRowTile(first: builder.add(done, step, name: "rr.row"), count: 1)
            return []
        }
    }

    /// Forward through every layer, the rows' loss terms and score adjoints, then every layer's
    /// sum adjoints top down (for hinge, not when every row is past the margin: see
    /// `TrainingEmitter+LiveRows.swift`), for the `count` rows from `first`.
    private func emitRowTile(first: IRValue, count: Int) throws {
        for number in layout.layers.indices {
            try emitLayerForward(number, first: first, count: count)
        }
        _ = try builder.loop("obj", count: count, in: function) { step, _ in
            try emitObjectiveRow(sample: builder.add(first, step, name: "obj.row"))
            return []
        }
        let inputAdjoints = {
            for number in self.layout.layers.indices.reversed() where number > 0 {
                try self.emitInputAdjoints(number, first: first, count: count)
            }
        }
        if skipsDeadRows {
            try unlessAllDead(first: first, count: count, inputAdjoints)
        } else {
            try inputAdjoints()
        }
    }

    /// A row's loss terms and correctness flags, and the sum adjoints of the last layer.
    func emitObjectiveRow(sample: IRValue) throws {
        let last = layout.layers.count - 1
        let topActivation = layout.layers[last].activation
        let termRow = builder.mul(sample, builder.index(layout.termsPerRow), name: "obj.t")
        if case .softmaxCrossEntropy = objective {
            let (term, correct) = softmaxForward(sample: sample)
            builder.storeDouble(term, terms, termRow, name: "obj.term")
            builder.storeDouble(correct, flags, termRow, name: "obj.flag")
            let rowAdjoints = builder.doubleElement(adjoints, activationIndex(last, sample: sample, builder.index(0)),
                                                    name: "obj.dsrow")
            softmaxAdjoints(sample: sample, into: rowAdjoints)
            _ = builder.loop("obj.k", count: layout.outputCount, in: function) { k, _ in
                let upstream = builder.loadDouble(rowAdjoints, k, name: "obj.dz")
                let output = builder.loadDouble(work, activationIndex(last, sample: sample, k), name: "obj.z")
                let ds = activationAdjoint(topActivation, output: output, upstream: upstream, name: "obj.ds")
                builder.storeDouble(ds, rowAdjoints, k, name: "obj.ds")
                return []
            }
            return
        }
        // One loss term per output.
        _ = try builder.loop("obj.k", count: layout.outputCount, in: function) { k, _ in
            let index = activationIndex(last, sample: sample, k)
            let score = builder.loadDouble(work, index, name: "obj.score")
            let target = builder.loadDouble(targets, targetIndex(sample: sample, k), name: "obj.target")
            let (term, correct) = try objectiveForward(score: score, target: target)
            let termIndex = builder.add(termRow, k, name: "obj.ti")
            builder.storeDouble(term, terms, termIndex, name: "obj.term")
            builder.storeDouble(correct, flags, termIndex, name: "obj.flag")
            let upstream = try objectiveScoreAdjoint(score: score, target: target)
            let ds = activationAdjoint(topActivation, output: score, upstream: upstream, name: "obj.ds")
            builder.storeDouble(ds, adjoints, index, name: "obj.ds")
            return []
        }
    }

    /// The adjoint of a neuron's sum from its output's (scalars or vectors): the activation
    /// node's row of `Op.partials` times the upstream, added to the zeroed sum's grad (`0 + c`;
    /// linear: the upstream itself, there is no activation node).
    func activationAdjoint(_ activation: Activation, output y: IRValue, upstream: IRValue, name: String) -> IRValue {
        let zero = y.type.zero
        let one = constantLike(y, 1)
        let partial: IRValue
        switch activation {
        case .linear:
            return upstream
        case .relu:
            // relu' = 0 where the output is <= 0, else 1 (a NaN output included), as `Op.partials`.
            let off = builder.fcmp(.lessThanOrEqual, y, zero, name: "\(name).off")
            partial = builder.select(off, zero, one, name: "\(name).p")
        case .tanh:
            partial = builder.fsub(one, builder.fmul(y, y, name: "\(name).sq"), name: "\(name).p")
        case .sigmoid:
            partial = builder.fmul(y, builder.fsub(one, y, name: "\(name).c"), name: "\(name).p")
        }
        return fresh(builder.fmul(partial, upstream, name: "\(name).g"), name: name)
    }

    /// The constant `value` of `like`'s type (a double or a vector of doubles).
    private func constantLike(_ like: IRValue, _ value: Double) -> IRValue {
        let lanes = like.type.ref == emit.constant(0).type.ref ? 1 : tiling.lanes
        return constant(value, lanes: lanes)
    }
}
