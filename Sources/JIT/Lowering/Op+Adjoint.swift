import Micrograd

extension Program.Instruction {
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
        let zero = emit.constant(0), one = emit.constant(1)
        func times(_ partial: IRValue, _ suffix: String) -> IRValue { b.fmul(partial, g, name: "\(name).\(suffix)") }
        /// `condition ? then : otherwise`, an `fcmp` and a `select`.
        func choose(_ x: IRValue, _ predicate: FloatPredicate, _ y: IRValue, _ then: IRValue, _ otherwise: IRValue,
                    _ suffix: String) -> IRValue {
            b.select(b.fcmp(predicate, x, y, name: "\(name).\(suffix)c"), then, otherwise, name: "\(name).\(suffix)")
        }
        switch op {
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
            // NOTE: `exponent · pow(x, exponent - 1)` through libm's pow, as `Op.partials` does; 0 for `x.pow(0)`.
            guard exponent != 0 else { return [times(zero, "dl")] }
            let power = emit.call(.pow, operands[0], emit.constant(exponent - 1), name: "\(name).pw")
            return [times(b.fmul(emit.constant(exponent), power, name: "\(name).p"), "dl")]
        case .powerValue:
            let (base, exponent) = (operands[0], operands[1])
            let reduced = b.fsub(exponent, one, name: "\(name).em1")
            let power = emit.call(.pow, base, reduced, name: "\(name).pw")
            let partialBase = choose(exponent, .equal, zero, zero, b.fmul(exponent, power, name: "\(name).pb0"), "pb")
            // 0 where base == 0 and exponent >= 0, else out · log(base).
            let logarithmic = b.fmul(out, emit.call(.log, base, name: "\(name).lg"), name: "\(name).pe")
            let atZero = choose(exponent, .greaterThanOrEqual, zero, zero, logarithmic, "ez")
            let partialExponent = choose(base, .equal, zero, atZero, logarithmic, "de")
            return [times(partialBase, "dl"), times(partialExponent, "dr")]
        case .relu:
            return [times(choose(out, .lessThanOrEqual, zero, zero, one, "p"), "dl")]
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
        case .sqrt:
            return [times(b.fdiv(emit.constant(0.5), out, name: "\(name).p"), "dl")]
        case .abs:
            let x = operands[0]
            let sign = choose(x, .greaterThan, zero, one, choose(x, .lessThan, zero, emit.constant(-1), zero, "n"), "p")
            return [times(sign, "dl")]
        case .sin:
            return [times(emit.call(.cos, operands[0], name: "\(name).p"), "dl")]
        case .cos:
            let sine = emit.call(.sin, operands[0], name: "\(name).s")
            return [times(b.fneg(sine, name: "\(name).p"), "dl")]
        case .maximum, .minimum:
            // max: (a < b ? 0 : a == b ? 0.5 : 1, a > b ? 0 : a == b ? 0.5 : 1); min mirrored.
            let (a, c) = (operands[0], operands[1])
            let tie = choose(a, .equal, c, emit.constant(0.5), one, "t")
            let (loses, wins): (FloatPredicate, FloatPredicate) = op == .maximum
                ? (.lessThan, .greaterThan) : (.greaterThan, .lessThan)
            return [times(choose(a, loses, c, zero, tie, "pl"), "dl"), times(choose(a, wins, c, zero, tie, "pr"), "dr")]
        case .clamp(let lower, let upper):
            let x = operands[0]
            let inside = choose(x, .greaterThanOrEqual, emit.constant(lower),
                                choose(x, .lessThanOrEqual, emit.constant(upper), one, zero, "hi"), zero, "p")
            return [times(inside, "dl")]
        default:
            throw JITError.invalidGraph("internal error: no adjoint for \(op.mnemonic)")
        }
    }
}
