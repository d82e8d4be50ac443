import Micrograd

/// Emits one layer of the single-sample MLP forward pass.
///
/// Neurons are taken `plan.lanes` at a time in vector lanes (`EmitMLPTile.swift`): each lane
/// holds one neuron's running sum, so the sum of every neuron still starts at its bias and adds
/// `w_i * x_i` in input order, exactly the interpreter's order, while a vector of neurons
/// advances per instruction. A remainder of fewer than `lanes` neurons uses the scalar loop here.
///
/// NOTE (numerics, `.fast`): each sum is split into `partialSums` chains (input `i` goes to
/// chain `i mod P`, the bias starts chain 0) added in order at the end, and multiply-adds are
/// fused where the target has FMA. Any order of adding m terms (here m = n + 1, the bias
/// counted), with each product rounded or fused, stays within `gamma_m * sum |t|` of the true
/// sum, as does the exact order, so per neuron pre-activation
/// `|fast - exact| <= 2 gamma_m (|b| + sum |w_i x_i|)`, `gamma_m = m eps / (1 - m eps)`.
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
    /// Lanes, tile size, partial sums and FMA, from the target and numerics.
    let plan: MLPKernelPlan

    var builder: IRBuilder { emit.builder }
    var double: IRType { builder.context.double }
    var destinationType: IRType { isLast ? double : emit.type }

    /// Emits the whole layer: a loop of full tiles, one tile of the groups left, the scalar rest.
    func emitLayer() {
        let groups = layer.outputs / plan.lanes
        let wideTiles = groups / plan.groupsPerTile
        emitTiles(first: 0, count: wideTiles, groupsPerTile: plan.groupsPerTile)
        let narrowFirst = wideTiles * plan.groupsPerTile * plan.lanes
        emitTiles(first: narrowFirst, count: groups % plan.groupsPerTile == 0 ? 0 : 1,
                  groupsPerTile: groups % plan.groupsPerTile)
        let scalarFirst = groups * plan.lanes
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

    /// `acc + row[index] * input[index]`, fused or not as the plan says.
    private func multiplyAdd(row: IRValue, input index: IRValue, into acc: IRValue) -> IRValue {
        let w = parameter(row, index, name: "\(name).w")
        return builder.multiplyAdd(w, input(index, name: "\(name).x"), acc, fused: plan.fused, name: "\(name).acc")
    }

    /// Loads input `index` of the layer, in the compiled precision.
    func input(_ index: IRValue, name: String) -> IRValue {
        let pointer = builder.elementPointer(sourceType, source, index, name: "\(name).ptr")
        return builder.load(sourceType, from: pointer, name: name)
    }

    /// Neurons `first ..< first + count`, one at a time: `acc = bias; acc = acc + w_i * x_i`
    /// (in `.fast`, `scalarPartialSums` chains over blocks of inputs, then added in order).
    func emitScalarNeurons(first: Int, count: Int) {
        let int64 = builder.context.int64
        let partials = plan.scalarPartialSums
        _ = builder.loop("\(name).n", count: count, in: function) { j, _ in
            let neuron = offset(j, by: first, name: "\(name).j")
            let row = row(of: neuron, name: "\(name).row")
            let bias = parameter(row, int64.constant(integer: layer.inputs), name: "\(name).b")
            let initial = [bias] + Array(repeating: emit.constant(0), count: partials - 1)
            let blocks = layer.inputs / partials
            var sums = builder.loop("\(name).i", count: blocks, in: function, carrying: initial) { block, acc in
                let first = builder.mul(block, int64.constant(integer: partials), name: "\(name).i0")
                return (0..<partials).map { k in
                    multiplyAdd(row: row, input: offset(first, by: k, name: "\(name).ik"), into: acc[k])
                }
            }
            for i in (layer.inputs / partials * partials)..<layer.inputs {
                let k = i % partials
                sums[k] = multiplyAdd(row: row, input: int64.constant(integer: i), into: sums[k])
            }
            let sum = sums.dropFirst().reduce(sums[0]) { builder.fadd($0, $1, name: "\(name).sum") }
            let activated = emit.activation(layer.activation, sum, name: "\(name).\(layer.activation.rawValue)")
            let value = isLast ? emit.toDouble(activated, name: "\(name).out") : activated
            builder.store(value, to: builder.elementPointer(destinationType, destination, neuron, name: "\(name).y.ptr"))
            return []
        }
    }
}
