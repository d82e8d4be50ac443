import Micrograd

extension PieceEmitter {
    /// Emits the reverse sweep over this piece's slots, last to first, as `Program.emitGradient`
    /// does over the whole program, with forward values read back from the value buffer.
    ///
    /// An adjoint a later piece has added to is read from the adjoint buffer (zeroed by the
    /// caller) at its first use here; contributions to slots of earlier pieces are summed here
    /// and stored back at the end. Pieces run last to first, so every adjoint receives its
    /// contributions in the single function's order (the reverse slot order, operands left to
    /// right), starting from `+0` as the interpreter's zeroed `grad` does.
    ///
    /// NOTE (numerics): the same `fadd`s in the same order as the single function, so the
    /// gradients are the same bits (the single function's first `0 + c` is `+0.0 (loaded) + c`).
    ///
    /// The derivative by input `i` is stored to `outputs[1 + i]` by the piece that holds the
    /// input's slot; the first piece stores 0 for inputs the output does not depend on.
    func emitReverse() throws {
        var adjoint: [Int: IRValue] = [:]
        func current(_ slot: Int) -> IRValue? {
            if let value = adjoint[slot] { return value }
            let index = Int(partition.adjointIndex[slot])
            guard index >= 0 else { return nil }
            let loaded = emit.fromDouble(builder.loadDouble(adjoints, builder.index(index), name: label("a\(slot)")),
                                         name: label("a\(slot).f"))
            adjoint[slot] = loaded
            return loaded
        }
        let seed = program.outputs[0]
        if range.contains(seed) { adjoint[seed] = emit.constant(1) }
        for index in range.reversed() {
            guard case .operation(let instruction, let operands) = program.slots[index], let upstream = current(index)
            else { continue }
            let name = label("d\(instruction.op.mnemonic)\(index)")
            let contributions = try instruction.adjoints(
                operands.map(value(of:)), out: value(of: index), upstream: upstream, with: emit, name: name)
            for (position, (operand, contribution)) in zip(operands, contributions).enumerated() {
                if case .constant = program.slots[operand] { continue }
                let previous = current(operand) ?? emit.constant(0)
                adjoint[operand] = builder.fadd(previous, contribution, name: label("\(name).acc\(position)"))
            }
        }
        for slot in adjoint.keys.sorted() where slot < range.lowerBound {
            let index = Int(partition.adjointIndex[slot])
            guard index >= 0, let value = adjoint[slot] else {
                throw JITError.invalidGraph(
                    "internal error: slot \(slot) gets an adjoint across pieces but has no buffer entry")
            }
            builder.storeDouble(emit.toDouble(value, name: label("a\(slot).d")), adjoints, builder.index(index),
                                name: label("a\(slot).st"))
        }
        try emitInputGradients(current)
    }

    /// `outputs[1 + i]` = the adjoint of input `i`, for the inputs whose slot is in this piece.
    private func emitInputGradients(_ current: (Int) -> IRValue?) throws {
        for index in range {
            guard case .input(let input) = program.slots[index] else { continue }
            let value = current(index) ?? emit.constant(0)
            let gradient = emit.toDouble(value, name: "d\(input).d")
            builder.storeDouble(gradient, outputs, builder.index(1 + input), name: "d\(input)")
        }
        guard range.lowerBound == 0 else { return }
        // An input the output does not depend on has no slot and derivative 0 (one scan, in the first piece only).
        var present = [Bool](repeating: false, count: program.inputCount)
        for slot in program.slots {
            if case .input(let input) = slot { present[input] = true }
        }
        let zero = builder.context.double.constant(0)
        for (input, isPresent) in present.enumerated() where !isPresent {
            builder.storeDouble(zero, outputs, builder.index(1 + input), name: "d\(input)")
        }
    }
}
