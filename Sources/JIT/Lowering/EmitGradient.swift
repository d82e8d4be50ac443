import Micrograd

extension Program {
    /// The name of the emitted value-and-gradient function.
    static let gradientEntryName = "value_and_gradient"

    /// Emits the forward pass and the reverse sweep of a one-output program as one function of
    /// straight-line code:
    /// `void @value_and_gradient(double* noalias %inputs, double* noalias %results)`, writing
    /// `results[0]` = the output and `results[1 + i]` = its derivative by input `i`.
    ///
    /// The reverse sweep walks the slots from last to first, as `backward()` walks the reverse
    /// topological order (the program's slot order is that order); each operation adds its
    /// contributions to its operands' adjoints, left operand first. An adjoint starts at 0 and
    /// is summed with `+` in that order, so Float64 results equal the interpreter's.
    ///
    /// - Throws: `JITError.invalidGraph` unless the program has exactly one output.
    func emitGradient(into module: borrowing Module, precision: JITOptions.Precision) throws {
        guard outputs.count == 1 else {
            throw JITError.invalidGraph("a gradient needs exactly one output, the program has \(outputs.count)")
        }
        let context = module.context
        let double = context.double
        let function = module.addFunction(
            Program.gradientEntryName, type: context.void.function([double.pointer, double.pointer]))
        function.markNoAlias(parameter: 0, in: context)
        function.markNoAlias(parameter: 1, in: context)
        let inputs = function.parameter(0, name: "inputs")
        let results = function.parameter(1, name: "results")

        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let emit = ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: precision)

        let values = try emitForward(inputs: inputs, emit: emit)
        let adjoints = try emitReverseSweep(values: values, emit: emit)

        builder.storeDouble(emit.toDouble(values[outputs[0]], name: "value.d"), results, builder.index(0), name: "value")
        var inputSlots = [Int?](repeating: nil, count: inputCount)
        for (index, slot) in slots.enumerated() {
            if case .input(let input) = slot { inputSlots[input] = index }
        }
        for (input, slot) in inputSlots.enumerated() {
            // An input the output does not depend on has derivative 0.
            let adjoint = slot.flatMap { adjoints[$0] } ?? emit.constant(0)
            builder.storeDouble(
                emit.toDouble(adjoint, name: "d\(input).d"), results, builder.index(1 + input), name: "d\(input)")
        }
        builder.retVoid()
    }

    /// The forward values, one per slot.
    private func emitForward(inputs: IRValue, emit: ScalarEmitter) throws -> [IRValue] {
        let builder = emit.builder
        var values: [IRValue] = []
        values.reserveCapacity(slots.count)
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .input(let input):
                let loaded = builder.loadDouble(inputs, builder.index(input), name: "in\(input)")
                values.append(emit.fromDouble(loaded, name: "in\(input).f"))
            case .constant(let value):
                values.append(emit.constant(value))
            case .operation(let instruction, let operands):
                let name = "\(instruction.op.mnemonic)\(index)"
                values.append(try instruction.lower(operands.map { values[$0] }, with: emit, name: name))
            }
        }
        return values
    }

    /// The adjoint of every slot the output depends on (nil for constants, never read).
    private func emitReverseSweep(values: [IRValue], emit: ScalarEmitter) throws -> [IRValue?] {
        let builder = emit.builder
        var adjoints = [IRValue?](repeating: nil, count: slots.count)
        // The seed: the output's adjoint is 0 + 1, as `backward()` sets it.
        adjoints[outputs[0]] = emit.constant(1)
        for index in slots.indices.reversed() {
            guard case .operation(let instruction, let operands) = slots[index], let upstream = adjoints[index] else {
                continue
            }
            let name = "d\(instruction.op.mnemonic)\(index)"
            let contributions = try instruction.adjoints(
                operands.map { values[$0] }, out: values[index], upstream: upstream, with: emit, name: name)
            for (position, (operand, contribution)) in zip(operands, contributions).enumerated() {
                if case .constant = slots[operand] { continue }
                // NOTE: `0 + c` for the first contribution, as the interpreter adds to a zeroed grad
                // (it turns a -0 contribution into +0; LLVM keeps it, having no `nsz` flag).
                let previous = adjoints[operand] ?? emit.constant(0)
                adjoints[operand] = builder.fadd(previous, contribution, name: "\(name).acc\(position)")
            }
        }
        return adjoints
    }
}
