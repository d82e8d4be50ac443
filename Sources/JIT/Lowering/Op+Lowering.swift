import Micrograd

extension Program.Instruction {
    /// Emits the op applied to its operands' values: one row per op, mirroring the engine's
    /// `Op.evaluate` operation for operation (tinygrad's `code_for_op` table, typed), so Float64
    /// results are the interpreter's bits, NaN and infinities included.
    ///
    /// - Throws: `JITError.invalidGraph` for an op without a row (an internal error: instructions
    ///   are made by linearisation, which expands or rejects every engine-only form).
    func lower(_ operands: [IRValue], with emit: ScalarEmitter, name: String) throws -> IRValue {
        let b = emit.builder
        if let function = libraryCall {
            return emit.call(function, libraryArguments(operands, with: emit), name: name)
        }
        switch op {
        case .add: return b.fadd(operands[0], operands[1], name: name)
        case .subtract: return b.fsub(operands[0], operands[1], name: name)
        case .multiply: return b.fmul(operands[0], operands[1], name: name)
        case .divide: return b.fdiv(operands[0], operands[1], name: name)
        case .negate: return b.fneg(operands[0], name: name)
        case .relu: return b.relu(operands[0], zero: emit.constant(0), name: name)
        case .sigmoid: return emit.sigmoid(operands[0], name: name)
        case .sqrt: return emit.call(.sqrt, operands[0], name: name)
        case .abs: return emit.call(.fabs, operands[0], name: name)
        case .maximum: return emit.maximum(operands[0], operands[1], name: name)
        case .minimum: return emit.minimum(operands[0], operands[1], name: name)
        case .clamp(let lower, let upper): return emit.clamp(operands[0], lower: lower, upper: upper, name: name)
        default: throw JITError.invalidGraph("internal error: no lowering for \(op.mnemonic)")
        }
    }

    /// The math-library function the op is one call of, or nil: the ops whose lowering is
    /// `libraryCall(libraryArguments(operands))` and nothing else (`PieceSchedule` batches them).
    var libraryCall: MathFunction? {
        switch op {
        case .power, .powerValue: .pow
        case .tanh: .tanh
        case .exp: .exp
        case .log: .log
        case .sin: .sin
        case .cos: .cos
        default: nil
        }
    }

    /// The arguments of the op's `libraryCall`: its operands, and `pow`'s constant exponent.
    func libraryArguments(_ operands: [IRValue], with emit: ScalarEmitter) -> [IRValue] {
        if case .power(let exponent) = op { return [operands[0], emit.constant(exponent)] }
        return operands
    }
}
