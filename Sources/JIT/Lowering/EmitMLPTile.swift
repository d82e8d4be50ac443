import Micrograd

extension MLPLayerEmitter {
    /// `count` tiles of `groupsPerTile` x 4 neurons from neuron `first` on, as a loop.
    ///
    /// Per tile, each group of four neurons keeps its four sums in one vector register. The
    /// weights are read four inputs at a time: four contiguous row loads, transposed in registers
    /// (8 shuffles) into four columns `(w[j][i], w[j+1][i], w[j+2][i], w[j+3][i])`, each
    /// multiplied by a broadcast `x[i]` and added in input order. Several groups per tile give
    /// independent add chains, hiding the adder's latency.
    ///
    /// NOTE (numerics): lane `k` computes `((bias + w0*x0) + w1*x1) + ...` for neuron `j + k`,
    /// the scalar sum exactly; vector lanes round like scalars, so results are bit for bit the
    /// interpreter's.
    func emitTiles(first: Int, count: Int, groupsPerTile: Int) {
        let lanes = Self.lanes
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
            for group in 0..<groupsPerTile {
                let groupRows = (0..<lanes).map { k in
                    let distance = (group * lanes + k) * stride
                    return distance == 0 ? firstRow
                        : builder.elementPointer(double, firstRow, int64.constant(integer: distance), name: "\(tileName).row")
                }
                rows.append(groupRows)
                let biases = groupRows.map { parameter($0, int64.constant(integer: layer.inputs), name: "\(tileName).b") }
                sums.append(builder.vector(of: biases, name: "\(tileName).bias"))
            }
            sums = emitBlocks(rows: rows, sums: sums, name: tileName)
            sums = emitRemainder(rows: rows, sums: sums, name: tileName)
            for group in 0..<groupsPerTile {
                let neuron = offset(tileStart, by: group * lanes, name: "\(tileName).y")
                let pointer = builder.elementPointer(destinationType, destination, neuron, name: "\(tileName).y.ptr")
                var value = activation(sums[group], name: "\(tileName).\(layer.activation.rawValue)")
                if isLast && emit.precision == .float32 {
                    value = builder.extend(value, to: double.vector(lanes), name: "\(tileName).out")
                }
                builder.store(value, to: pointer, alignment: isLast ? 8 : emit.precision == .float32 ? 4 : 8, name: "\(tileName).y")
            }
            return []
        }
    }

    /// The inputs in blocks of four: a loop carrying one sum vector per group.
    private func emitBlocks(rows: [[IRValue]], sums: [IRValue], name: String) -> [IRValue] {
        let lanes = Self.lanes
        let int64 = builder.context.int64
        return builder.loop("\(name).blk", count: layer.inputs / lanes, in: function, carrying: sums) { block, sums in
            let first = builder.mul(block, int64.constant(integer: lanes), name: "\(name).i0")
            let xs = (0..<lanes).map { k in
                let index = offset(first, by: k, name: "\(name).xi")
                return builder.broadcast(input(index, name: "\(name).x"), lanes: lanes, name: "\(name).xv")
            }
            var next: [IRValue] = []
            for (group, groupRows) in rows.enumerated() {
                let columns = transpose(groupRows.map { loadRow($0, from: first, name: "\(name).r") }, name: "\(name).c")
                var sum = sums[group]
                for k in 0..<lanes {
                    sum = builder.fadd(sum, builder.fmul(columns[k], xs[k], name: "\(name).mul"), name: "\(name).acc")
                }
                next.append(sum)
            }
            return next
        }
    }

    /// The last `inputs % 4` inputs: each column gathered from four rows.
    private func emitRemainder(rows: [[IRValue]], sums: [IRValue], name: String) -> [IRValue] {
        let lanes = Self.lanes
        let int64 = builder.context.int64
        var sums = sums
        for i in (layer.inputs / lanes * lanes)..<layer.inputs {
            let index = int64.constant(integer: i)
            let x = builder.broadcast(input(index, name: "\(name).x"), lanes: lanes, name: "\(name).xv")
            for (group, groupRows) in rows.enumerated() {
                let column = builder.vector(of: groupRows.map { parameter($0, index, name: "\(name).w") }, name: "\(name).col")
                sums[group] = builder.fadd(sums[group], builder.fmul(column, x, name: "\(name).mul"), name: "\(name).acc")
            }
        }
        return sums
    }

    /// Four consecutive weights of `row` from input `first` on, in the compiled precision.
    private func loadRow(_ row: IRValue, from first: IRValue, name: String) -> IRValue {
        let pointer = builder.elementPointer(double, row, first, name: "\(name).p")
        let loaded = builder.load(double.vector(Self.lanes), from: pointer, alignment: 8, name: name)
        guard emit.precision == .float32 else { return loaded }
        return builder.truncate(loaded, to: emit.type.vector(Self.lanes), name: "\(name).f")
    }

    /// The 4x4 transpose: rows `r0...r3` to columns `(r0[k], r1[k], r2[k], r3[k])`.
    private func transpose(_ r: [IRValue], name: String) -> [IRValue] {
        let t0 = builder.shuffle(r[0], r[1], mask: [0, 4, 2, 6], name: "\(name).t0")
        let t1 = builder.shuffle(r[0], r[1], mask: [1, 5, 3, 7], name: "\(name).t1")
        let t2 = builder.shuffle(r[2], r[3], mask: [0, 4, 2, 6], name: "\(name).t2")
        let t3 = builder.shuffle(r[2], r[3], mask: [1, 5, 3, 7], name: "\(name).t3")
        return [
            builder.shuffle(t0, t2, mask: [0, 1, 4, 5], name: "\(name)0"),
            builder.shuffle(t1, t3, mask: [0, 1, 4, 5], name: "\(name)1"),
            builder.shuffle(t0, t2, mask: [2, 3, 6, 7], name: "\(name)2"),
            builder.shuffle(t1, t3, mask: [2, 3, 6, 7], name: "\(name)3"),
        ]
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
            let lanes = (0..<Self.lanes).map { k in
                emit.activation(layer.activation, builder.extractElement(sums, at: k, name: "\(name).e\(k)"), name: "\(name).l\(k)")
            }
            return builder.vector(of: lanes, name: name)
        }
    }
}
