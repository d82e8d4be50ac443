import Micrograd

/// Emits the parts of the batched MLP kernel: block transposes and register-tiled layers.
///
/// Scratch buffers are feature-major in panels: a buffer of `F` features keeps, for panel `p`
/// (`panelVectors` vectors of `lanes` samples each), the vectors of feature `f` at
/// `p * F * panelVectors + f * panelVectors + c`. A register tile reads its samples' features
/// as one sequential stream, and writes its outputs in the same layout for the next layer.
struct BatchedLayerEmitter {
    let emit: ScalarEmitter
    let function: Function
    let tiling: BatchTiling
    /// `<lanes x T>`, T the compiled precision.
    let vector: IRType
    /// The MLP's parameter buffer (`double*`), read at each call.
    let parameters: IRValue
    /// Whether multiply-adds are fused (`.fast` numerics on a target with FMA).
    let fused: Bool

    var builder: IRBuilder { emit.builder }
    var double: IRType { builder.context.double }

    /// The address of vector `c` of panel `panel` of feature `feature`, in a buffer of `features`.
    func slot(_ buffer: IRValue, features: Int, panel: IRValue, feature: IRValue, vector c: Int, name: String) -> IRValue {
        let width = tiling.panelVectors
        let panelStart = builder.mul(panel, builder.int(features * width), name: "\(name).po")
        let featureStart = builder.mul(feature, builder.int(width), name: "\(name).fo")
        let index = builder.add(builder.add(panelStart, featureStart, name: "\(name).pf"), builder.int(c), name: "\(name).i")
        return builder.elementPointer(vector, buffer, index, name: name)
    }

    /// One layer: per chunk of inputs, full tiles of `neuronTile` neurons in a loop, then one
    /// narrower tile for the remaining neurons.
    func emitLayer(_ layer: MLPShape.LayerShape, number: Int, from source: IRValue, to destination: IRValue) {
        let width = tiling.neuronTile
        let full = layer.outputs / width, remainder = layer.outputs % width
        for chunkStart in stride(from: 0, to: layer.inputs, by: tiling.inputChunk) {
            let chunk = chunkStart..<Swift.min(layer.inputs, chunkStart + tiling.inputChunk)
            let name = "l\(number)c\(chunkStart / tiling.inputChunk)"
            _ = builder.loop("\(name).t", count: full, in: function) { tile, _ in
                let first = builder.mul(tile, builder.int(width), name: "\(name).j0")
                emitTile(TileShape(layer: layer, chunk: chunk, neurons: width), name: name,
                         first: first, from: source, to: destination)
                return []
            }
            if remainder > 0 {
                emitTile(TileShape(layer: layer, chunk: chunk, neurons: remainder), name: "\(name)r",
                         first: builder.int(full * width), from: source, to: destination)
            }
        }
    }

    /// A register tile: which layer, which inputs (a chunk), how many neurons.
    struct TileShape {
        let layer: MLPShape.LayerShape
        let chunk: Range<Int>
        let neurons: Int

        var isFirstChunk: Bool { chunk.lowerBound == 0 }
        var isLastChunk: Bool { chunk.upperBound == layer.inputs }
    }

    /// Neurons `first ..< first + neurons` over inputs `chunk` for the whole block, `vectorTile`
    /// vectors of samples at a time: the accumulators of a (neurons x vectors) tile stay in
    /// registers over the input loop, which loads one vector per sample column and broadcasts
    /// one weight per neuron.
    ///
    /// NOTE (numerics): a first chunk starts from the bias, a later chunk from the partial sums
    /// the previous chunk stored (a store and load are exact), and only the last chunk applies
    /// the activation: each sample's sum is still `bias + w_0 x_0 + w_1 x_1 + ...` in order.
    /// With `fused` each step is one `fma(w_i, x_i, acc)`, in the same order: see
    /// `MLPShape.emitBatched` for the bound.
    private func emitTile(_ shape: TileShape, name: String, first: IRValue, from source: IRValue, to destination: IRValue) {
        let layer = shape.layer, width = tiling.panelVectors
        let columns = tiling.vectorTile(forNeurons: shape.neurons)
        let rows = (0..<shape.neurons).map { n in
            let neuron = builder.add(first, builder.int(n), name: "\(name).j")
            let start = builder.add(
                builder.mul(neuron, builder.int(layer.inputs + 1), name: "\(name).rowoff"),
                builder.int(layer.offset), name: "\(name).rowstart")
            return builder.elementPointer(double, parameters, start, name: "\(name).row\(n)")
        }
        _ = builder.loop("\(name).s", count: tiling.vectorsPerBlock / columns, in: function) { column, _ in
            let firstPanel = builder.mul(column, builder.int(columns / width), name: "\(name).p0")
            let panels = (0..<columns).map { c in builder.add(firstPanel, builder.int(c / width), name: "\(name).p") }
            let outputs = (0..<shape.neurons).flatMap { n in
                let neuron = builder.add(first, builder.int(n), name: "\(name).jn")
                return (0..<columns).map { c in
                    slot(destination, features: layer.outputs, panel: panels[c], feature: neuron, vector: c % width, name: "\(name).yp")
                }
            }
            let initial: [IRValue] = if shape.isFirstChunk {
                rows.enumerated().flatMap { n, row in
                    Array(repeating: broadcastWeight(row, builder.int(layer.inputs), name: "\(name).b\(n)"), count: columns)
                }
            } else {
                outputs.map { builder.load(vector, from: $0, name: "\(name).partial") }
            }
            let sums = builder.loop("\(name).k", count: shape.chunk.count, in: function, carrying: initial) { i, acc in
                let k = builder.add(i, builder.int(shape.chunk.lowerBound), name: "\(name).kk")
                let xs = (0..<columns).map { c in
                    let pointer = slot(source, features: layer.inputs, panel: panels[c], feature: k, vector: c % width, name: "\(name).xp")
                    return builder.load(vector, from: pointer, name: "\(name).x")
                }
                var next: [IRValue] = []
                for (n, row) in rows.enumerated() {
                    let w = broadcastWeight(row, k, name: "\(name).w\(n)")
                    for c in 0..<columns {
                        next.append(builder.multiplyAdd(w, xs[c], acc[n * columns + c], fused: fused, name: "\(name).acc"))
                    }
                }
                return next
            }
            for (sum, pointer) in zip(sums, outputs) {
                let y = shape.isLastChunk ? activation(layer.activation, sum, name: "\(name).act") : sum
                builder.store(y, to: pointer)
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
            // NOTE: the scalar lowering's relu per lane (-0 gives +0, NaN stays NaN).
            return builder.relu(x, zero: vector.zero, name: name)
        case .tanh, .sigmoid:
            return builder.mapLanes(x, lanes: tiling.lanes, name: name) { lane, _ in
                emit.activation(activation, lane, name: "\(name).l")
            }
        }
    }
}
