import Micrograd

extension Program {
    /// Linearises the graph of `outputs`: every node reachable from them becomes one slot,
    /// operands before the nodes using them.
    ///
    /// Leaves listed in `inputs` read the argument of the same position; every other leaf is a
    /// constant, baked in at its current `data`.
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
        for node in order {
            let id = ObjectIdentifier(node)
            switch node.op {
            case .leaf:
                slots.append(inputIndex[id].map(Slot.input) ?? .constant(node.data))
            case .custom(let custom):
                throw JITError.unsupportedOperation(custom.name)
            default:
                // Operands come earlier in topological order, so their slots exist.
                let operands = node.children.map { slotOf[ObjectIdentifier($0)]! }
                slots.append(.operation(node.op, operands))
            }
            slotOf[id] = slots.count - 1
        }
        self.outputs = outputs.map { slotOf[ObjectIdentifier($0)]! }
    }
}
