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
    func emitUnrolled() throws {
        var values = (0..<shape.inputCount).map { input(int64.constant(integer: $0), name: "x\($0)") }
        for (number, layer) in shape.layers.enumerated() {
            let name = "l\(number)"
            values = try (0..<layer.outputs).map { j in
                let row = layer.offset + j * (layer.inputs + 1)
                var acc = parameter(int64.constant(integer: row + layer.inputs), name: "\(name).b\(j)")
                for (i, value) in values.enumerated() {
                    let w = parameter(int64.constant(integer: row + i), name: "\(name).w\(j).\(i)")
                    acc = builder.fadd(acc, builder.fmul(w, value, name: "\(name).m\(j).\(i)"), name: "\(name).acc\(j)")
                }
                return try GPUSampleEmitter.activation(layer.activation, acc, emit: emit, name: "\(name).y\(j)")
            }
        }
        for (k, value) in values.enumerated() {
            output(value, at: int64.constant(integer: k), name: "out\(k)")
        }
    }

    /// Loops over neurons and inputs; hidden activations in two stack arrays used in turn.
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

    private func emitLayerLoop(
        _ layer: MLPShape.LayerShape, name: String, source: IRValue?, destination: IRValue, isLast: Bool
    ) throws {
        let stride = int64.constant(integer: layer.inputs + 1)
        _ = try builder.loop("\(name).n", count: layer.outputs, in: function) { j, _ in
            let row = builder.add(builder.mul(j, stride, name: "\(name).off"),
                                  int64.constant(integer: layer.offset), name: "\(name).row")
            let bias = parameter(builder.add(row, int64.constant(integer: layer.inputs), name: "\(name).bi"),
                                 name: "\(name).b")
            let sum = builder.loop("\(name).i", count: layer.inputs, in: function, carrying: [bias]) { i, acc in
                let w = parameter(builder.add(row, i, name: "\(name).wi"), name: "\(name).w")
                let value = source.map {
                    builder.load(emit.type, from: builder.elementPointer(emit.type, $0, i, name: "\(name).a.ptr"),
                                 name: "\(name).a")
                } ?? input(i, name: "\(name).x")
                return [builder.fadd(acc[0], builder.fmul(w, value, name: "\(name).m"), name: "\(name).acc")]
            }[0]
            let y = try GPUSampleEmitter.activation(layer.activation, sum, emit: emit, name: "\(name).y")
            if isLast {
                output(y, at: j, name: "\(name).out")
            } else {
                builder.store(y, to: builder.elementPointer(emit.type, destination, j, name: "\(name).y.ptr"))
            }
            return []
        }
    }
}
