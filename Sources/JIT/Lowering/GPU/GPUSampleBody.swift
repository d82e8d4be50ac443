import Micrograd

/// The body of `@mlp_sample` (see `GPUSampleEmitter`): straight-line or as loops.
struct GPUSampleBody {
    let emit: ScalarEmitter
    let function: Function
    let shape: MLPShape
    /// `T*`: the parameters in the compiled precision.
    let parameters: IRValue
    /// `double*`: this sample's inputs; `double*`: where its outputs go.
    let x: IRValue
    let out: IRValue

    var builder: IRBuilder { emit.builder }
    var double: IRType { builder.context.double }
    var int64: IRType { builder.context.int64 }

    /// `params[index]`, `T`.
    private func parameter(_ index: IRValue, name: String) -> IRValue {
        let pointer = builder.elementPointer(emit.type, parameters, index, name: "\(name).ptr")
        return builder.load(emit.type, from: pointer, name: name)
    }

    /// `x[index]` converted to `T`.
    private func input(_ index: IRValue, name: String) -> IRValue {
        let value = builder.load(double, from: builder.elementPointer(double, x, index, name: "\(name).ptr"), name: name)
        return emit.fromDouble(value, name: "\(name).t")
    }

    /// `out[index] = value` (converted to `double`).
    private func output(_ value: IRValue, at index: IRValue, name: String) {
        let pointer = builder.elementPointer(double, out, index, name: "\(name).ptr")
        builder.store(emit.toDouble(value, name: "\(name).d"), to: pointer)
    }

    /// Every weight and activation an SSA value: constant indices, no loops, no stack.
    func emitUnrolled() {
        var values = (0..<shape.inputCount).map { input(int64.constant(integer: $0), name: "x\($0)") }
        for (number, layer) in shape.layers.enumerated() {
            let name = "l\(number)"
            values = (0..<layer.outputs).map { j in
                let row = layer.offset + j * (layer.inputs + 1)
                var acc = parameter(int64.constant(integer: row + layer.inputs), name: "\(name).b\(j)")
                for (i, value) in values.enumerated() {
                    let w = parameter(int64.constant(integer: row + i), name: "\(name).w\(j).\(i)")
                    acc = builder.fadd(acc, builder.fmul(w, value, name: "\(name).m\(j).\(i)"), name: "\(name).acc\(j)")
                }
                return emit.activation(layer.activation, acc, name: "\(name).y\(j)")
            }
        }
        for (k, value) in values.enumerated() {
            output(value, at: int64.constant(integer: k), name: "out\(k)")
        }
    }

    /// Loops over tiles of neurons and over inputs; hidden activations in two stack arrays.
    func emitLoops() throws {
        let width = Swift.max(1, shape.layers.dropLast().map(\.outputs).max() ?? 1)
        let scratch = [
            builder.alloca(emit.type, count: width, name: "act.a"),
            builder.alloca(emit.type, count: width, name: "act.b"),
        ]
        var source: IRValue? = nil  // nil: the layer reads the sample's inputs `x`
        for (number, layer) in shape.layers.enumerated() {
            let isLast = number == shape.layers.count - 1
            let destination = isLast ? out : scratch[number % 2]
            try emitLayerLoop(layer, name: "l\(number)", source: source, destination: destination, isLast: isLast)
            source = destination
        }
    }

    /// Neurons per tile: their sums stay in registers through one pass over the inputs, so a
    /// layer reads its inputs `outputs / tile` times instead of `outputs` times. 16 doubles or
    /// 32 floats (32 registers of sums).
    ///
    /// NOTE: untuned; chosen so the sums and a few addresses fit the registers of a thread
    /// comfortably. Each neuron still sums from its bias adding `w_i * x_i` in input order.
    var tileSize: Int { emit.precision == .float32 ? 32 : 16 }

    private func emitLayerLoop(
        _ layer: MLPShape.LayerShape, name: String, source: IRValue?, destination: IRValue, isLast: Bool
    ) throws {
        let tile = Swift.min(tileSize, layer.outputs)
        let tiles = layer.outputs / tile
        _ = try builder.loop("\(name).t", count: tiles, in: function) { t, _ in
            let first = builder.mul(t, int64.constant(integer: tile), name: "\(name).first")
            try emitTile(layer, first: first, size: tile, name: name, source: source, destination: destination,
                         isLast: isLast)
            return []
        }
        let rest = layer.outputs - tiles * tile
        if rest > 0 {
            try emitTile(layer, first: int64.constant(integer: tiles * tile), size: rest, name: "\(name).r",
                         source: source, destination: destination, isLast: isLast)
        }
    }

    /// Neurons `first ..< first + size`: biases, one loop over the inputs carrying `size` sums,
    /// activations, stores.
    private func emitTile(
        _ layer: MLPShape.LayerShape, first: IRValue, size: Int, name: String, source: IRValue?,
        destination: IRValue, isLast: Bool
    ) throws {
        let stride = layer.inputs + 1
        // The tile's first row; neuron k's parameter i is at `base + k * stride + i`.
        let base = builder.add(builder.mul(first, int64.constant(integer: stride), name: "\(name).off"),
                               int64.constant(integer: layer.offset), name: "\(name).base")
        let at = { (constant: Int, name: String) in builder.add(base, int64.constant(integer: constant), name: name) }
        let biases = (0..<size).map { k in
            parameter(at(k * stride + layer.inputs, "\(name).bi"), name: "\(name).b\(k)")
        }
        let sums = builder.loop("\(name).i", count: layer.inputs, in: function, carrying: biases) { i, acc in
            let value = source.map {
                builder.load(emit.type, from: builder.elementPointer(emit.type, $0, i, name: "\(name).a.ptr"),
                             name: "\(name).a")
            } ?? input(i, name: "\(name).x")
            let column = builder.add(base, i, name: "\(name).col")
            return (0..<size).map { k in
                let index = k == 0
                    ? column : builder.add(column, int64.constant(integer: k * stride), name: "\(name).wi")
                let w = parameter(index, name: "\(name).w\(k)")
                let product = builder.fmul(w, value, name: "\(name).m\(k)")
                return builder.fadd(acc[k], product, name: "\(name).acc\(k)")
            }
        }
        for (k, sum) in sums.enumerated() {
            let y = emit.activation(layer.activation, sum, name: "\(name).y\(k)")
            let neuron = builder.add(first, int64.constant(integer: k), name: "\(name).j\(k)")
            if isLast {
                output(y, at: neuron, name: "\(name).out\(k)")
            } else {
                builder.store(y, to: builder.elementPointer(emit.type, destination, neuron, name: "\(name).y.ptr"))
            }
        }
    }
}
