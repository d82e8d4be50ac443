import Micrograd

extension Op {
    /// Emits the op applied to its operands' values: one row per op, mirroring the engine's
    /// `Op.evaluate` (tinygrad's `code_for_op` table, typed).
    ///
    /// - Throws: `JITError.unsupportedOperation` for ops the JIT cannot lower.
    func lower(_ operands: [IRValue], with emit: ScalarEmitter, name: String) throws -> IRValue {
        let b = emit.builder
        switch self {
        case .add: return b.fadd(operands[0], operands[1], name: name)
        case .subtract: return b.fsub(operands[0], operands[1], name: name)
        case .multiply: return b.fmul(operands[0], operands[1], name: name)
        case .divide: return b.fdiv(operands[0], operands[1], name: name)
        case .negate: return b.fneg(operands[0], name: name)
        case .power(let exponent): return emit.power(operands[0], exponent, name: name)
        case .powerValue: return emit.call(.pow, operands[0], operands[1], name: name)
        case .relu: return emit.relu(operands[0], name: name)
        case .tanh: return emit.call(.tanh, operands[0], name: name)
        case .exp: return emit.call(.exp, operands[0], name: name)
        case .log: return emit.call(.log, operands[0], name: name)
        case .sigmoid: return emit.sigmoid(operands[0], name: name)
        case .leaf: throw JITError.invalidGraph("a leaf is not an operation")
        case .custom(let custom): throw JITError.unsupportedOperation(custom.name)
        case .addConstant, .subtractConstant, .subtractFromConstant, .multiplyByConstant, .divideByConstant,
             .divideConstant:
            // NOTE: linearisation expands it into a constant slot and the binary op; reaching here is a bug.
            throw JITError.invalidGraph("internal error: \(mnemonic) was not expanded before lowering")
        case .weightedSum:
            // NOTE: linearisation expands it into `*` and `+` slots; reaching here is a bug.
            throw JITError.invalidGraph("internal error: a weighted sum was not expanded before lowering")
        }
    }
}
