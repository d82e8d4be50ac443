import Micrograd

extension Program {
    /// The name of the emitted function.
    static let entryName = "graph"

    /// Slots per basic block.
    ///
    /// NOTE (compile time): LLVM's fast register allocator (used at O0) is quadratic in the
    /// length of a basic block; cutting a long program into blocks of this size (joined by plain
    /// branches) made a 140k-node graph compile 2.7x faster at O0. Small graphs stay one block.
    static let blockSize = 2048

    /// Emits the program as one function with a single basic block:
    /// `void @graph(double* noalias %inputs, double* noalias %outputs)`.
    ///
    /// Each slot becomes at most one SSA value named after its op and slot (`%mul12`); inputs are
    /// loaded from `inputs[i]` and outputs stored to `outputs[k]`, converted at the boundary in
    /// Float32. Constants fold into their users, so N operations give N instructions.
    func emit(into module: borrowing Module, precision: JITOptions.Precision) throws {
        let context = module.context
        let double = context.double
        let function = module.addFunction(
            Program.entryName, type: context.void.function([double.pointer, double.pointer]))
        function.markNoAlias(parameter: 0, in: context)
        function.markNoAlias(parameter: 1, in: context)
        let inputs = function.parameter(0, name: "inputs")
        let outputs = function.parameter(1, name: "outputs")

        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let emit = ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: precision)

        var values: [IRValue] = []
        values.reserveCapacity(slots.count)
        for (index, slot) in slots.enumerated() {
            if index > 0 && index % Program.blockSize == 0 {
                let next = function.appendBlock("chunk\(index / Program.blockSize)", in: context)
                builder.branch(to: next)
                builder.position(atEndOf: next)
            }
            switch slot {
            case .input(let input):
                let address = builder.elementPointer(
                    double, inputs, context.int64.constant(integer: input), name: "in\(input).ptr")
                let loaded = builder.load(double, from: address, name: "in\(input)")
                values.append(emit.fromDouble(loaded, name: "in\(input).f"))
            case .constant(let value):
                values.append(emit.constant(value))
            case .operation(let instruction, let operands):
                let name = "\(instruction.op.mnemonic)\(index)"
                values.append(try instruction.lower(operands.map { values[$0] }, with: emit, name: name))
            }
        }
        for (index, slot) in self.outputs.enumerated() {
            let address = builder.elementPointer(
                double, outputs, context.int64.constant(integer: index), name: "out\(index).ptr")
            builder.store(emit.toDouble(values[slot], name: "out\(index).d"), to: address)
        }
        builder.retVoid()
    }
}
