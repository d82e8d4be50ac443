import Micrograd

/// Emits the parts of the batched MLP kernel: block transposes and register-tiled layers.
///
/// Scratch buffers are feature-major: vector `f * vectorsPerBlock + v` holds feature `f` of
/// samples `lanes * v ..< lanes * (v + 1)` of the block.
struct BatchedLayerEmitter {
    let emit: ScalarEmitter
    let function: Function
    let tiling: BatchTiling
    /// `<lanes x T>`, T the compiled precision.
    let vector: IRType
    /// The MLP's parameter buffer (`double*`), read at each call.
    let parameters: IRValue

    private var builder: IRBuilder { emit.builder }
    private var double: IRType { builder.context.double }

    /// Copies a row-major block of `features` doubles per sample into a feature-major buffer.
    func transposeIn(from rows: IRValue, features: Int, to buffer: IRValue) {
        let lanes = tiling.lanes, perBlock = tiling.vectorsPerBlock
        _ = builder.loop("in.v", count: perBlock, in: function) { v, _ in
            _ = builder.loop("in.f", count: features, in: function) { f, _ in
                let gathered = builder.mapLanes(vector.zero, lanes: lanes, name: "in.x") { _, lane in
                    let sample = builder.add(builder.mul(v, builder.int(lanes), name: "in.s0"), builder.int(lane), name: "in.s")
                    let index = builder.add(builder.mul(sample, builder.int(features), name: "in.row"), f, name: "in.idx")
                    let value = builder.load(double, from: builder.elementPointer(double, rows, index, name: "in.ptr"), name: "in.d")
                    return emit.fromDouble(value, name: "in.t")
                }
                let slot = builder.add(builder.mul(f, builder.int(perBlock), name: "in.fo"), v, name: "in.slot")
                builder.store(gathered, to: builder.elementPointer(vector, buffer, slot, name: "in.dst"))
                return []
            }
            return []
        }
    }

    /// Copies a feature-major buffer back to `features` doubles per sample, row-major.
    func transposeOut(from buffer: IRValue, features: Int, to rows: IRValue) {
        let lanes = tiling.lanes, perBlock = tiling.vectorsPerBlock
        _ = builder.loop("out.v", count: perBlock, in: function) { v, _ in
            _ = builder.loop("out.f", count: features, in: function) { f, _ in
                let slot = builder.add(builder.mul(f, builder.int(perBlock), name: "out.fo"), v, name: "out.slot")
                let values = builder.load(vector, from: builder.elementPointer(vector, buffer, slot, name: "out.src"), name: "out.y")
                for lane in 0..<lanes {
                    let sample = builder.add(builder.mul(v, builder.int(lanes), name: "out.s0"), builder.int(lane), name: "out.s")
                    let index = builder.add(builder.mul(sample, builder.int(features), name: "out.row"), f, name: "out.idx")
                    let value = emit.toDouble(builder.extractElement(values, at: lane, name: "out.e"), name: "out.d")
                    builder.store(value, to: builder.elementPointer(double, rows, index, name: "out.ptr"))
                }
                return []
            }
            return []
        }
    }

    /// One layer: full tiles of `neuronTile` neurons in a loop, then one narrower tile for the
    /// remaining neurons.
    func emitLayer(_ layer: MLPShape.LayerShape, number: Int, from source: IRValue, to destination: IRValue) {
        let width = tiling.neuronTile
        let full = layer.outputs / width, remainder = layer.outputs % width
        _ = builder.loop("l\(number).t", count: full, in: function) { tile, _ in
            let first = builder.mul(tile, builder.int(width), name: "l\(number).j0")
            emitTile(layer, name: "l\(number)", first: first, neurons: width, from: source, to: destination)
            return []
        }
        if remainder > 0 {
            emitTile(layer, name: "l\(number)r", first: builder.int(full * width), neurons: remainder,
                     from: source, to: destination)
        }
    }

    /// Neurons `first ..< first + neurons` for the whole block, `vectorTile` vectors of samples
    /// at a time: the accumulators of a (neurons x vectors) tile stay in registers over the
    /// input loop, which loads one vector per sample column and broadcasts one weight per neuron.
    private func emitTile(
        _ layer: MLPShape.LayerShape, name: String, first: IRValue, neurons: Int,
        from source: IRValue, to destination: IRValue
    ) {
        let perBlock = tiling.vectorsPerBlock
        let columns = tiling.vectorTile(forNeurons: neurons)
        let rows = (0..<neurons).map { n in
            let neuron = builder.add(first, builder.int(n), name: "\(name).j")
            let start = builder.add(
                builder.mul(neuron, builder.int(layer.inputs + 1), name: "\(name).rowoff"),
                builder.int(layer.offset), name: "\(name).rowstart")
            return builder.elementPointer(double, parameters, start, name: "\(name).row\(n)")
        }
        _ = builder.loop("\(name).s", count: perBlock / columns, in: function) { column, _ in
            let v0 = builder.mul(column, builder.int(columns), name: "\(name).v0")
            let biases = rows.enumerated().map { n, row in
                broadcastWeight(row, builder.int(layer.inputs), name: "\(name).b\(n)")
            }
            let initial = biases.flatMap { Array(repeating: $0, count: columns) }
            let sums = builder.loop("\(name).k", count: layer.inputs, in: function, carrying: initial) { k, acc in
                let base = builder.add(builder.mul(k, builder.int(perBlock), name: "\(name).ko"), v0, name: "\(name).xb")
                let xs = (0..<columns).map { c in
                    let slot = builder.add(base, builder.int(c), name: "\(name).xs")
                    return builder.load(vector, from: builder.elementPointer(vector, source, slot, name: "\(name).xp"), name: "\(name).x")
                }
                var next: [IRValue] = []
                for (n, row) in rows.enumerated() {
                    let w = broadcastWeight(row, k, name: "\(name).w\(n)")
                    for c in 0..<columns {
                        let product = builder.fmul(w, xs[c], name: "\(name).mul")
                        next.append(builder.fadd(acc[n * columns + c], product, name: "\(name).acc"))
                    }
                }
                return next
            }
            for n in 0..<neurons {
                let neuron = builder.add(first, builder.int(n), name: "\(name).jn")
                let base = builder.add(builder.mul(neuron, builder.int(perBlock), name: "\(name).yo"), v0, name: "\(name).yb")
                for c in 0..<columns {
                    let y = activation(layer.activation, sums[n * columns + c], name: "\(name).act")
                    let slot = builder.add(base, builder.int(c), name: "\(name).ys")
                    builder.store(y, to: builder.elementPointer(vector, destination, slot, name: "\(name).yp"))
                }
            }
            return []
        }
    }

    /// `row[index]` (a `double` parameter) in the compiled precision, in every lane.
    private func broadcastWeight(_ row: IRValue, _ index: IRValue, name: String) -> IRValue {
        let value = builder.load(double, from: builder.elementPointer(double, row, index, name: "\(name).p"), name: name)
        return builder.splat(emit.fromDouble(value, name: "\(name).t"), lanes: tiling.lanes, name: "\(name).v")
    }

    /// The layer's activation on a vector of sums, lane by lane the scalar lowering's result.
    private func activation(_ activation: Activation, _ x: IRValue, name: String) -> IRValue {
        switch activation {
        case .linear:
            return x
        case .relu:
            // NOTE: `x > 0 ? x : 0` per lane, as the scalar lowering (NaN and -0 give +0).
            let zero = vector.zero
            return builder.select(builder.fcmp(.greaterThan, x, zero, name: "\(name).pos"), x, zero, name: name)
        case .tanh, .sigmoid:
            return builder.mapLanes(x, lanes: tiling.lanes, name: name) { lane, _ in
                emit.activation(activation, lane, name: "\(name).l")
            }
        }
    }
}
