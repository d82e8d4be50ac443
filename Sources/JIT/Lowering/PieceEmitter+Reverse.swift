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
        /// A chain's reverse loop (see `emitReverseChain`); the operands' adjoints it adds to
        /// leave the registers for the adjoint buffer first, and are read back from there after.
        func reverseChain(_ chain: DotChain, upstream: IRValue) throws {
            for slot in Set(chain.left.map(Int.init) + chain.right.map(Int.init)).sorted() {
                guard let value = adjoint.removeValue(forKey: slot) else { continue }
                builder.storeDouble(emit.toDouble(value, name: label("a\(slot).d")), adjoints,
                                    builder.index(Int(partition.adjointIndex[slot])), name: label("a\(slot).st"))
            }
            let sum = try emitReverseChain(chain, upstream: upstream)
            if case .constant = program.slots[chain.start] { return }
            adjoint[chain.start] = builder.fadd(current(chain.start) ?? emit.constant(0), sum, name: "dchain.start")
        }
        for index in range.reversed() where !partition.absorbed[index] {
            guard case .operation(let instruction, let operands) = program.slots[index], let upstream = current(index)
            else { continue }
            if let chain = partition.chainEnding[index] {
                try reverseChain(partition.chains[chain], upstream: upstream)
                continue
            }
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

    /// The reverse of a dot product (`DotChain`) reached with adjoint `g` at its last sum, the
    /// sweep's additions in its order: every partial sum and product gets `0 + g` (`h`), then,
    /// term by term from the last, `a` gets `h * b` and `b` gets `a * h` (the `.multiply` row of
    /// `Op+Adjoint`), added to their adjoints in the adjoint buffer. Returns `h`, which the
    /// caller adds to the start's adjoint.
    ///
    /// - Precondition: the operands' adjoints are in the buffer (none in registers).
    private func emitReverseChain(_ chain: DotChain, upstream g: IRValue) throws -> IRValue {
        let h = builder.fadd(emit.constant(0), g, name: "dchain.h")
        let count = chain.left.count
        let operands = try termOperands(chain)
        let leftAdjoints = chain.leftSource == .constants ? nil : builder.constantTable(
            "dot\(chain.end).dleft", words: try adjointIndices(chain.left))
        let rightAdjoints = chain.rightSource == .constants ? nil : builder.constantTable(
            "dot\(chain.end).dright", words: try adjointIndices(chain.right))
        func add(_ contribution: IRValue, at table: (global: IRValue, type: IRType), _ k: IRValue) {
            let index = builder.loadWord(table, at: k, name: "d")
            let previous = emit.fromDouble(builder.loadDouble(adjoints, index, name: "da"), name: "da.f")
            let sum = builder.fadd(previous, contribution, name: "da.sum")
            builder.storeDouble(emit.toDouble(sum, name: "da.d"), adjoints, index, name: "da.st")
        }
        _ = builder.loop("ddot\(chain.end)", count: count, in: function) { i, _ in
            let k = builder.sub(builder.index(count - 1), i, name: "k")
            let (a, b) = operands(k)
            if let leftAdjoints { add(builder.fmul(b, h, name: "dl"), at: leftAdjoints, k) }
            if let rightAdjoints { add(builder.fmul(a, h, name: "dr"), at: rightAdjoints, k) }
            return []
        }
        return h
    }

    /// The adjoint-buffer index of each slot of `slots`.
    private func adjointIndices(_ slots: [Int32]) throws -> [UInt32] {
        try slots.map { slot in
            let index = Int(partition.adjointIndex[Int(slot)])
            guard index >= 0 else {
                throw JITError.invalidGraph("internal error: slot \(slot) of a dot product has no adjoint entry")
            }
            return UInt32(index)
        }
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
