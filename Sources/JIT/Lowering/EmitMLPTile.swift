import Micrograd

extension MLPLayerEmitter {
    /// `count` tiles of `groupsPerTile` x `lanes` neurons from neuron `first` on, as a loop.
    ///
    /// Per tile, each group of `lanes` neurons keeps its sums in one vector register (or
    /// `partialSums` of them). The weights are read `lanes` inputs at a time: `lanes` contiguous
    /// row loads, transposed in registers (`IRBuilder.transpose`, `L log2 L` shuffles) into
    /// columns `(w[j][i], w[j+1][i], ..., w[j+L-1][i])`, each multiplied by a broadcast `x[i]`
    /// and added in input order. Several groups per tile give independent add chains, hiding
    /// the adder's latency.
    ///
    /// NOTE (numerics): in `.exact`, lane `k` computes `((bias + w0*x0) + w1*x1) + ...` for
    /// neuron `j + k`, the scalar sum exactly; vector lanes round like scalars, so results are
    /// bit for bit the interpreter's at every lane count. `.fast`: see `MLPLayerEmitter`.
    func emitTiles(first: Int, count: Int, groupsPerTile: Int) {
        let lanes = plan.lanes
        let int64 = builder.context.int64
        let tileName = "\(name).t\(groupsPerTile)"
        let stride = layer.inputs + 1
        _ = builder.loop(tileName, count: count, in: function) { t, _ in
            let tileStart = offset(
                builder.mul(t, int64.constant(integer: groupsPerTile * lanes), name: "\(tileName).off"),
                by: first, name: "\(tileName).first")
            // The tile's first row; the others follow at constant distances (row stride inputs + 1).
            let firstRow = row(of: tileStart, name: "\(tileName).row")
            var rows: [[IRValue]] = []
            var sums: [IRValue] = []
            let zero = emit.type.vector(lanes).zero
            for group in 0..<groupsPerTile {
                let groupRows = (0..<lanes).map { k in
                    let distance = (group * lanes + k) * stride
                    return distance == 0 ? firstRow
                        : builder.elementPointer(double, firstRow, int64.constant(integer: distance), name: "\(tileName).row")
                }
                rows.append(groupRows)
                let biases = groupRows.map { parameter($0, int64.constant(integer: layer.inputs), name: "\(tileName).b") }
                sums.append(builder.vector(of: biases, name: "\(tileName).bias"))
                sums += Array(repeating: zero, count: plan.partialSums - 1)
            }
            sums = emitBlocks(rows: rows, sums: sums, name: tileName)
            sums = emitRemainder(rows: rows, sums: sums, name: tileName)
            for group in 0..<groupsPerTile {
                let partials = sums[(group * plan.partialSums)..<((group + 1) * plan.partialSums)]
                let sum = partials.dropFirst().reduce(partials.first!) { builder.fadd($0, $1, name: "\(tileName).sum") }
                let neuron = offset(tileStart, by: group * lanes, name: "\(tileName).y")
                let pointer = builder.elementPointer(destinationType, destination, neuron, name: "\(tileName).y.ptr")
                var value = activation(sum, name: "\(tileName).\(layer.activation.rawValue)")
                if isLast && emit.precision == .float32 {
                    value = builder.extend(value, to: double.vector(lanes), name: "\(tileName).out")
                }
                builder.store(value, to: pointer, alignment: isLast ? 8 : emit.precision == .float32 ? 4 : 8, name: "\(tileName).y")
            }
            return []
        }
    }

    /// The sum vector input `i` goes to: partial `i mod P` of its group.
    private func partial(group: Int, input i: Int) -> Int { group * plan.partialSums + i % plan.partialSums }

    /// The inputs in blocks of `lanes`: a loop carrying the sum vectors of every group.
    private func emitBlocks(rows: [[IRValue]], sums: [IRValue], name: String) -> [IRValue] {
        let lanes = plan.lanes
        let int64 = builder.context.int64
        return builder.loop("\(name).blk", count: layer.inputs / lanes, in: function, carrying: sums) { block, sums in
            let first = builder.mul(block, int64.constant(integer: lanes), name: "\(name).i0")
            let xs = (0..<lanes).map { k in
                let index = offset(first, by: k, name: "\(name).xi")
                return builder.broadcast(input(index, name: "\(name).x"), lanes: lanes, name: "\(name).xv")
            }
            var next = sums
            for (group, groupRows) in rows.enumerated() {
                let loaded = groupRows.map { loadRow($0, from: first, name: "\(name).r") }
                let columns = builder.transpose(loaded, name: "\(name).c")
                for k in 0..<lanes {
                    // `lanes` is a multiple of P, so input `first + k` goes to partial `k mod P`.
                    let target = partial(group: group, input: k)
                    next[target] = builder.multiplyAdd(
                        columns[k], xs[k], next[target], fused: plan.fused, name: "\(name).acc")
                }
            }
            return next
        }
    }

    /// The last `inputs mod lanes` inputs: each column gathered from `lanes` rows.
    private func emitRemainder(rows: [[IRValue]], sums: [IRValue], name: String) -> [IRValue] {
        let lanes = plan.lanes
        let int64 = builder.context.int64
        var sums = sums
        for i in (layer.inputs / lanes * lanes)..<layer.inputs {
            let index = int64.constant(integer: i)
            let x = builder.broadcast(input(index, name: "\(name).x"), lanes: lanes, name: "\(name).xv")
            for (group, groupRows) in rows.enumerated() {
                let column = builder.vector(of: groupRows.map { parameter($0, index, name: "\(name).w") }, name: "\(name).col")
                let target = partial(group: group, input: i)
                sums[target] = builder.multiplyAdd(column, x, sums[target], fused: plan.fused, name: "\(name).acc")
            }
        }
        return sums
    }

    /// `lanes` consecutive weights of `row` from input `first` on, in the compiled precision.
    private func loadRow(_ row: IRValue, from first: IRValue, name: String) -> IRValue {
        let pointer = builder.elementPointer(double, row, first, name: "\(name).p")
        let loaded = builder.load(double.vector(plan.lanes), from: pointer, alignment: 8, name: name)
        guard emit.precision == .float32 else { return loaded }
        return builder.truncate(loaded, to: emit.type.vector(plan.lanes), name: "\(name).f")
    }

    /// The activation lane by lane: a vector select for ReLU, the scalar lowering per lane
    /// otherwise (libm's `tanh` and `exp` have no bit-exact vector form).
    private func activation(_ sums: IRValue, name: String) -> IRValue {
        switch layer.activation {
        case .linear:
            return sums
        case .relu:
            return builder.relu(sums, zero: sums.type.zero, name: name)
        case .tanh, .sigmoid:
            let lanes = (0..<plan.lanes).map { k in
                emit.activation(layer.activation, builder.extractElement(sums, at: k, name: "\(name).e\(k)"), name: "\(name).l\(k)")
            }
            return builder.vector(of: lanes, name: name)
        }
    }
}
