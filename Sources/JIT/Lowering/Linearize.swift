import Micrograd

extension Program {
    /// Linearises the graph of `outputs`: every node reachable from them becomes one slot,
    /// operands before the nodes using them.
    ///
    /// Leaves listed in `inputs` read the argument of the same position; every other leaf is a
    /// constant, baked in at its current `data`.
    ///
    /// A `.weightedSum` node is expanded into the `*` and `+` slots of the equivalent chain (see
    /// `appendWeightedSum`), and an op with a constant operand (`.addConstant(1)`, see
    /// `Op.constantOperand`) into a constant slot and its binary op, so no later stage sees them.
    ///
    /// NOTE: iterative (the engine's `topologicalOrder` uses an explicit stack) and memoised by
    /// node identity, so a 100k-deep chain neither overflows the stack nor is expanded as a tree.
    ///
    /// - Throws: `JITError.unsupportedOperation` for an op the JIT cannot lower (`Op.custom`);
    ///   `JITError.invalidGraph` for an input that is not a leaf or is listed twice.
    public init(outputs: [Value], inputs: [Value] = []) throws {
        self.init(inputCount: inputs.count)
        var inputIndex: [ObjectIdentifier: Int] = [:]
        for (index, input) in inputs.enumerated() {
            guard input.op == .leaf else {
                throw JITError.invalidGraph("input \(index) is not a leaf (it is the result of \(input.op.mnemonic))")
            }
            guard inputIndex.updateValue(index, forKey: ObjectIdentifier(input)) == nil else {
                throw JITError.invalidGraph("input \(index) is listed twice")
            }
        }

        let order = Value.topologicalOrder(of: outputs)
        var slotOf: [ObjectIdentifier: Int] = [:]
        slotOf.reserveCapacity(order.count)
        slots.reserveCapacity(order.count)
        // NOTE: the order lists operands before their users, so every lookup finds a slot; a
        // miss would be a broken traversal, reported as an error rather than a trap.
        func slot(of node: Value) throws -> Int {
            guard let slot = slotOf[ObjectIdentifier(node)] else {
                throw JITError.invalidGraph("internal error: an operand of a \(node.op.mnemonic) node came after it")
            }
            return slot
        }
        for node in order {
            let id = ObjectIdentifier(node)
            switch node.op {
            case .leaf:
                slots.append(inputIndex[id].map(Slot.input) ?? .constant(node.data))
                slotOf[id] = slots.count - 1
            case .custom(let custom):
                throw JITError.unsupportedOperation(custom.name)
            case .weightedSum:
                slotOf[id] = try appendWeightedSum(node.children.map(slot(of:)))
            default:
                let operands = try node.children.map(slot(of:))
                if let (binary, constant, constantIsFirst) = node.op.constantOperand {
                    // `x + 1` held as one node: a constant slot and the binary op, as micrograd's graph has.
                    slots.append(.constant(constant))
                    let constantSlot = slots.count - 1
                    try append(binary, constantIsFirst ? [constantSlot] + operands : operands + [constantSlot])
                } else {
                    try append(node.op, operands)
                }
                slotOf[id] = slots.count - 1
            }
        }
        self.outputs = try outputs.map(slot(of:))
    }

    /// Appends the primitive `op` applied to `operands`.
    private mutating func append(_ op: Op, _ operands: [Int]) throws {
        guard let instruction = Instruction(op) else {
            throw JITError.invalidGraph("internal error: \(op.mnemonic) is not a primitive instruction")
        }
        slots.append(.operation(instruction, operands))
    }

    /// Appends the chain `((bias + w0 * x0) + w1 * x1) + ...` of a `.weightedSum` node whose
    /// operand slots are `[bias, w0, x0, w1, x1, ...]`, and returns the slot of its result (the
    /// bias's own slot when it has no terms).
    ///
    /// NOTE (numerics): the same binary operations in the same order as the interpreter's
    /// `.weightedSum` (each product and sum rounded), so forward values are bit-identical; the
    /// reverse sweep over these slots adds the adjoint contributions in the order the
    /// interpreter's `backward()` adds them for this node (last pair first, the bias before the
    /// first pair), so compiled gradients equal interpreted ones.
    private mutating func appendWeightedSum(_ operands: [Int]) throws -> Int {
        guard var total = operands.first else {
            throw JITError.invalidGraph("internal error: a weighted sum without a bias")
        }
        var index = 1
        while index + 1 < operands.count {
            try append(.multiply, [operands[index], operands[index + 1]])
            try append(.add, [total, slots.count - 1])
            total = slots.count - 1
            index += 2
        }
        return total
    }
}
