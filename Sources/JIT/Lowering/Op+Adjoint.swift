import Micrograd

extension Op {
    /// Emits the op's contributions to its operands' adjoints, `∂out/∂operand · upstream`: one
    /// row per op, mirroring the engine's `Op.partials` and the interpreter's `backward()`.
    ///
    /// - Parameters:
    ///   - operands: the operands' forward values.
    ///   - out: the op's own forward value.
    ///   - upstream: the adjoint of the op's result.
    /// - Returns: one contribution per operand, in operand order.
    ///
    /// NOTE (numerics): each row computes exactly what the interpreter computes, the partial
    /// from `Op.partials` times `upstream` (for `add` the upstream itself, as `backward()` does),
    /// so the compiled gradient equals the interpreted one operation for operation. The
    /// multiplications by constant partials (`1 · g`, `0 · g` of relu) are kept, not folded by
    /// hand: `0 · inf` must stay NaN as in the interpreter. LLVM folds `1 · g` itself (exact).
    func adjoints(
        _ operands: [IRValue], out: IRValue, upstream g: IRValue, with emit: ScalarEmitter, name: String
    ) throws -> [IRValue] {
        let b = emit.builder
        let one = emit.constant(1)
        func times(_ partial: IRValue, _ suffix: String) -> IRValue { b.fmul(partial, g, name: "\(name).\(suffix)") }
        switch self {
        case .add:
            return [g, g]
        case .subtract:
            return [times(one, "dl"), times(emit.constant(-1), "dr")]
        case .multiply:
            return [times(operands[1], "dl"), times(operands[0], "dr")]
        case .divide:
            let reciprocal = b.fdiv(one, operands[1], name: "\(name).inv")
            let negated = b.fneg(out, name: "\(name).nout")
            return [times(reciprocal, "dl"), times(b.fdiv(negated, operands[1], name: "\(name).q"), "dr")]
        case .negate:
            return [times(emit.constant(-1), "dl")]
        case .power(let exponent):
            // NOTE: `exponent · pow(x, exponent - 1)` through libm's pow, as `Op.partials` does.
            let power = emit.call(.pow, operands[0], emit.constant(exponent - 1), name: "\(name).pw")
            return [times(b.fmul(emit.constant(exponent), power, name: "\(name).p"), "dl")]
        case .powerValue:
            let (base, exponent) = (operands[0], operands[1])
            let reduced = b.fsub(exponent, one, name: "\(name).em1")
            let power = emit.call(.pow, base, reduced, name: "\(name).pw")
            let partialBase = b.fmul(exponent, power, name: "\(name).pb")
            return [times(partialBase, "dl"), times(exponentPartial(base: base, out: out, emit: emit, name: name), "dr")]
        case .relu:
            let positive = b.fcmp(.greaterThan, out, emit.constant(0), name: "\(name).on")
            return [times(b.select(positive, one, emit.constant(0), name: "\(name).p"), "dl")]
        case .tanh:
            let square = b.fmul(out, out, name: "\(name).sq")
            return [times(b.fsub(one, square, name: "\(name).p"), "dl")]
        case .exp:
            return [times(out, "dl")]
        case .log:
            return [times(b.fdiv(one, operands[0], name: "\(name).p"), "dl")]
        case .sigmoid:
            let complement = b.fsub(one, out, name: "\(name).c")
            return [times(b.fmul(out, complement, name: "\(name).p"), "dl")]
        case .leaf:
            return []
        case .custom(let custom):
            throw JITError.unsupportedOperation(custom.name)
        case .addConstant, .subtractConstant, .subtractFromConstant, .multiplyByConstant, .divideByConstant,
             .divideConstant:
            // NOTE: linearisation expands it into a constant slot and the binary op; reaching here is a bug.
            throw JITError.invalidGraph("internal error: \(mnemonic) was not expanded before differentiation")
        case .weightedSum:
            // NOTE: linearisation expands it into `*` and `+` slots; reaching here is a bug.
            throw JITError.invalidGraph("internal error: a weighted sum was not expanded before differentiation")
        }
    }

    /// `Op.exponentPartial` branch-free: `base > 0 ? out · log(base) : (out == 0 ? 0 : NaN)`.
    ///
    /// NOTE: `log` of a non-positive base is computed and discarded (NaN or -inf, no trap).
    private func exponentPartial(base: IRValue, out: IRValue, emit: ScalarEmitter, name: String) -> IRValue {
        let b = emit.builder
        let zero = emit.constant(0)
        let logarithm = emit.call(.log, base, name: "\(name).lg")
        let positive = b.fmul(out, logarithm, name: "\(name).pe")
        let outIsZero = b.fcmp(.equal, out, zero, name: "\(name).oz")
        let fallback = b.select(outIsZero, zero, emit.constant(.nan), name: "\(name).fb")
        let basePositive = b.fcmp(.greaterThan, base, zero, name: "\(name).bp")
        return b.select(basePositive, positive, fallback, name: "\(name).de")
    }
}
