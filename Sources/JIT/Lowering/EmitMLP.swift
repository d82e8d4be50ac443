import Micrograd

extension MLPShape {
    /// The name of the emitted function.
    static let entryName = "mlp"

    /// Emits the forward pass as loops over the weight buffer:
    /// `void @mlp(double* noalias %params, double* noalias %x, double* noalias %out)`.
    ///
    /// Per layer, `for j in neurons { acc = bias; for i in inputs { acc = acc + w[i] * in[i] };
    /// next[j] = activation(acc) }`, `plan.lanes` neurons per vector (`MLPLayerEmitter`), layer
    /// sizes and offsets as constants; the code size does not grow with the widths. Hidden
    /// activations live in two stack buffers (`alloca`, sized by the widest layer) used in turn,
    /// so concurrent calls share nothing.
    ///
    /// NOTE (numerics): the sum starts at the bias and adds `w_i * x_i` in input order, the
    /// interpreter's order; without fast-math LLVM keeps it, so Float64 results equal the
    /// interpreter's bit for bit, on every vector width. `.fast` plans split and fuse the sums
    /// within the bound stated on `MLPLayerEmitter`.
    func emit(into module: borrowing Module, precision: JITOptions.Precision, plan: MLPKernelPlan) throws {
        let context = module.context
        let double = context.double
        let function = module.addFunction(
            MLPShape.entryName, type: context.void.function([double.pointer, double.pointer, double.pointer]))
        for index in 0..<3 { function.markNoAlias(parameter: index, in: context) }
        let parameters = function.parameter(0, name: "params")
        let x = function.parameter(1, name: "x")
        let out = function.parameter(2, name: "out")

        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let emit = ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: precision)
        let scalar = emit.type
        let width = Swift.max(inputCount, layers.dropLast().map(\.outputs).max() ?? 1)
        let scratch = [
            builder.alloca(scalar, count: width, name: "act.a"),
            builder.alloca(scalar, count: width, name: "act.b"),
        ]
        var source = x
        var nextScratch = 0
        if precision == .float32 {
            // Convert the inputs once, so every layer reads the compiled precision.
            _ = builder.loop("x", count: inputCount, in: function) { i, _ in
                let value = builder.load(double, from: builder.elementPointer(double, x, i, name: "x.ptr"), name: "x.d")
                builder.store(emit.fromDouble(value, name: "x.f"), to: builder.elementPointer(scalar, scratch[0], i, name: "xf.ptr"))
                return []
            }
            source = scratch[0]
            nextScratch = 1
        }
        for (number, layer) in layers.enumerated() {
            let isLast = number == layers.count - 1
            let destination = isLast ? out : scratch[nextScratch]
            MLPLayerEmitter(
                emit: emit, function: function, parameters: parameters, layer: layer, name: "l\(number)",
                source: source, sourceType: number == 0 && precision == .float64 ? double : scalar,
                destination: destination, isLast: isLast, plan: plan
            ).emitLayer()
            source = destination
            nextScratch = 1 - nextScratch
        }
        builder.retVoid()
    }

    /// The exact forward pass shaped for the host's vectors (what `jit(mlp)` emits by default).
    func emit(into module: borrowing Module, precision: JITOptions.Precision) throws {
        let plan = MLPKernelPlan(target: try TargetDescription.host(), precision: precision, numerics: .exact)
        try emit(into: module, precision: precision, plan: plan)
    }
}
