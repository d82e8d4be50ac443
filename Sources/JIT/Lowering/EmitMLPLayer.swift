import Micrograd

/// Emits one layer of the single-sample MLP forward pass.
///
/// Neurons are taken four at a time in vector lanes (`EmitMLPTile.swift`): each lane holds one
/// neuron's running sum, so the sum of every neuron still starts at its bias and adds
/// `w_i * x_i` in input order, exactly the interpreter's order, while four (or more) neurons
/// advance per instruction. A remainder of fewer than four neurons uses the scalar loop here.
struct MLPLayerEmitter {
    let emit: ScalarEmitter
    let function: Function
    let parameters: IRValue
    let layer: MLPShape.LayerShape
    let name: String
    /// The layer's inputs; `double`s (the caller's `x`) or the compiled precision (scratch).
    let source: IRValue
    let sourceType: IRType
    /// Where the outputs go; `double`s when `isLast` (the caller's `out`), else scratch.
    let destination: IRValue
    let isLast: Bool

    /// Neurons per lane group, and lane groups kept in registers at once.
    static let lanes = 4
    static let groupsPerTile = 4

    var builder: IRBuilder { emit.builder }
    var double: IRType { builder.context.double }
    var destinationType: IRType { isLast ? double : emit.type }

    /// Emits the whole layer.
    func emitLayer() {
        let groups = layer.outputs / Self.lanes
        let wideTiles = groups / Self.groupsPerTile
        emitTiles(first: 0, count: wideTiles, groupsPerTile: Self.groupsPerTile)
        let narrowFirst = wideTiles * Self.groupsPerTile * Self.lanes
        emitTiles(first: narrowFirst, count: groups % Self.groupsPerTile, groupsPerTile: 1)
        let scalarFirst = groups * Self.lanes
        emitScalarNeurons(first: scalarFirst, count: layer.outputs - scalarFirst)
    }

    /// The address of neuron `neuron`'s row (its weights, then its bias) in the parameters.
    func row(of neuron: IRValue, name: String) -> IRValue {
        let context = builder.context
        let start = builder.mul(neuron, context.int64.constant(integer: layer.inputs + 1), name: "\(name).off")
        return builder.elementPointer(double, parameters, offset(start, by: layer.offset, name: "\(name).start"), name: name)
    }

    /// `value + constant`, or `value` itself for 0 (keeps the unoptimised IR short).
    func offset(_ value: IRValue, by constant: Int, name: String) -> IRValue {
        constant == 0 ? value : builder.add(value, builder.context.int64.constant(integer: constant), name: name)
    }

    /// Loads parameter `index` of `row`, in the compiled precision.
    func parameter(_ row: IRValue, _ index: IRValue, name: String) -> IRValue {
        let pointer = builder.elementPointer(double, row, index, name: "\(name).ptr")
        return emit.fromDouble(builder.load(double, from: pointer, name: name), name: "\(name).f")
    }

    /// Loads input `index` of the layer, in the compiled precision.
    func input(_ index: IRValue, name: String) -> IRValue {
        let pointer = builder.elementPointer(sourceType, source, index, name: "\(name).ptr")
        return builder.load(sourceType, from: pointer, name: name)
    }

    /// Neurons `first ..< first + count`, one at a time: `acc = bias; acc = acc + w_i * x_i`.
    func emitScalarNeurons(first: Int, count: Int) {
        let int64 = builder.context.int64
        _ = builder.loop("\(name).n", count: count, in: function) { j, _ in
            let neuron = offset(j, by: first, name: "\(name).j")
            let row = row(of: neuron, name: "\(name).row")
            let bias = parameter(row, int64.constant(integer: layer.inputs), name: "\(name).b")
            let sum = builder.loop("\(name).i", count: layer.inputs, in: function, carrying: [bias]) { i, acc in
                let product = builder.fmul(parameter(row, i, name: "\(name).w"), input(i, name: "\(name).x"), name: "\(name).mul")
                return [builder.fadd(acc[0], product, name: "\(name).acc")]
            }[0]
            let activated = emit.activation(layer.activation, sum, name: "\(name).\(layer.activation.rawValue)")
            let value = isLast ? emit.toDouble(activated, name: "\(name).out") : activated
            builder.store(value, to: builder.elementPointer(destinationType, destination, neuron, name: "\(name).y.ptr"))
            return []
        }
    }
}
