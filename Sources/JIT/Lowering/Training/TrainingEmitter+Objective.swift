import Micrograd

extension TrainingEmitter {
    /// The error for an objective whose per-output rows are not used (softmax works per row).
    static func unsupported(_ objective: Objective) -> JITError {
        .invalidGraph("internal error: the \(objective) objective has no per-output lowering")
    }

    /// A row's loss term and whether its prediction is correct (1 or 0), as `Loss` and
    /// `Objective.isCorrect` compute them.
    func objectiveForward(score z: IRValue, target y: IRValue) throws -> (term: IRValue, correct: IRValue) {
        switch objective {
        case .hinge:
            // relu(z · (-y) + 1), as `Loss.hinge` builds it.
            let margin = builder.fadd(builder.fmul(z, builder.fneg(y, name: "h.ny"), name: "h.m"), emit.constant(1), name: "h.u")
            return (emit.relu(margin, name: "h.t"), agreement(z, above: 0, y, above: 0))
        case .meanSquaredError(let threshold):
            let difference = builder.fsub(z, y, name: "mse.d")
            let square = power(difference, 2, name: "mse.t")
            return (square, agreement(z, above: threshold, y, above: threshold))
        case .binaryCrossEntropy:
            let parts = softplusParts(z)
            let term = builder.fsub(parts.softplus, builder.fmul(z, y, name: "bce.m"), name: "bce.t")
            return (term, agreement(z, above: 0, y, above: 0.5))
        case .softmaxCrossEntropy:
            throw Self.unsupported(objective)
        }
    }

    /// The score's adjoint from its row's loss term, whose own adjoint is `invN` (the mean).
    ///
    /// NOTE (numerics): each line is a node of the interpreter's loss graph, visited in its
    /// reverse topological order: `0 + c` for a first contribution, `dl · upstream` with the
    /// partials of `Op.partials`, the upstream itself through an `add`.
    func objectiveScoreAdjoint(score z: IRValue, target y: IRValue) throws -> IRValue {
        let g = inverseCount
        switch objective {
        case .hinge:
            let margin = builder.fadd(builder.fmul(z, builder.fneg(y, name: "hb.ny"), name: "hb.m"), emit.constant(1), name: "hb.u")
            let off = builder.fcmp(.lessThanOrEqual, emit.relu(margin, name: "hb.t"), emit.constant(0), name: "hb.off")
            let reluPartial = builder.select(off, emit.constant(0), emit.constant(1), name: "hb.p")
            let dMargin = fresh(builder.fmul(reluPartial, g, name: "hb.du.c"), name: "hb.du")
            let dProduct = fresh(dMargin, name: "hb.dm")
            return fresh(builder.fmul(builder.fneg(y, name: "hb.ny2"), dProduct, name: "hb.dz.c"), name: "hb.dz")
        case .meanSquaredError:
            let difference = builder.fsub(z, y, name: "mseb.d")
            let first = power(difference, 1, name: "mseb.pw")
            let partial = builder.fmul(emit.constant(2), first, name: "mseb.p")
            let dDifference = fresh(builder.fmul(partial, g, name: "mseb.dd.c"), name: "mseb.dd")
            return fresh(builder.fmul(emit.constant(1), dDifference, name: "mseb.dz.c"), name: "mseb.dz")
        case .binaryCrossEntropy:
            return binaryCrossEntropyScoreAdjoint(z, y, g)
        case .softmaxCrossEntropy:
            throw Self.unsupported(objective)
        }
    }

    /// `pow(x, exponent)` for the squared error's exponents 1 and 2: libm's `pow`, as the
    /// interpreter calls it; with the built-in math routines (the GPU) `x` and `x · x`.
    ///
    /// NOTE (numerics): `x · x` is the correctly rounded square and `x` is exact, which is what
    /// glibc's `pow` returns for these exponents on the tested data (the host test of the GPU
    /// step compares with the interpreter bit for bit); the built-in `pow` is only within ~1 ulp.
    func power(_ x: IRValue, _ exponent: Int, name: String) -> IRValue {
        guard emit.math.isBuiltIn, exponent == 1 || exponent == 2 else {
            return emit.call(.pow, x, emit.constant(Double(exponent)), name: name)
        }
        return exponent == 1 ? x : builder.fmul(x, x, name: name)
    }

    /// `softplus(z)` as `Loss.softplus` builds it: `z + log(exp(-z) + 1)` for z ≥ 0, else
    /// `log(exp(z) + 1)`, with its intermediate values.
    private func softplusParts(_ z: IRValue) -> (softplus: IRValue, nonNegative: IRValue, e: IRValue, a: IRValue) {
        let nonNegative = builder.fcmp(.greaterThanOrEqual, z, emit.constant(0), name: "sp.nn")
        let argument = builder.select(nonNegative, builder.fneg(z, name: "sp.nz"), z, name: "sp.arg")
        let e = emit.call(.exp, argument, name: "sp.e")
        let a = builder.fadd(e, emit.constant(1), name: "sp.a")
        let logarithm = emit.call(.log, a, name: "sp.log")
        let softplus = builder.select(nonNegative, builder.fadd(z, logarithm, name: "sp.zl"), logarithm, name: "sp")
        return (softplus, nonNegative, e, a)
    }

    /// The score's adjoint for `softplus(z) - z·y` (see ``softplusParts(_:)`` for the graph).
    private func binaryCrossEntropyScoreAdjoint(_ z: IRValue, _ y: IRValue, _ g: IRValue) -> IRValue {
        let parts = softplusParts(z)
        // term = softplus - m: partials (1, -1).
        let dProduct = fresh(builder.fmul(emit.constant(-1), g, name: "bceb.dm.c"), name: "bceb.dm")
        let dSoftplus = fresh(builder.fmul(emit.constant(1), g, name: "bceb.dsp.c"), name: "bceb.dsp")
        // m = z · y, visited first: z gets y · dm.
        let fromProduct = fresh(builder.fmul(y, dProduct, name: "bceb.z1.c"), name: "bceb.z1")
        // z ≥ 0: softplus = z + log(a) passes dsp to z and (from 0) to the log; z < 0: it is the log.
        let dLog = builder.select(parts.nonNegative, fresh(dSoftplus, name: "bceb.dlog0"), dSoftplus, name: "bceb.dlog")
        let reciprocal = builder.fdiv(emit.constant(1), parts.a, name: "bceb.inva")
        let dA = fresh(builder.fmul(reciprocal, dLog, name: "bceb.da.c"), name: "bceb.da")
        let dE = fresh(dA, name: "bceb.de")
        let fromExp = builder.fmul(parts.e, dE, name: "bceb.ee")
        // z ≥ 0: ((y·dm) + dsp) + (-1 · (0 + e·de)) through the negation; z < 0: (y·dm) + e·de.
        let viaNegation = builder.fmul(emit.constant(-1), fresh(fromExp, name: "bceb.dnz"), name: "bceb.z3.c")
        let nonNegative = builder.fadd(builder.fadd(fromProduct, dSoftplus, name: "bceb.z2"), viaNegation, name: "bceb.zp")
        let negative = builder.fadd(fromProduct, fromExp, name: "bceb.zn")
        return builder.select(parts.nonNegative, nonNegative, negative, name: "bceb.dz")
    }

    /// 1 when `(score > a) == (target > b)`, else 0, as a double.
    private func agreement(_ score: IRValue, above a: Double, _ target: IRValue, above b: Double) -> IRValue {
        let predicted = builder.fcmp(.greaterThan, score, emit.constant(a), name: "acc.s")
        let actual = builder.fcmp(.greaterThan, target, emit.constant(b), name: "acc.t")
        let one = emit.constant(1), zero = emit.constant(0)
        let ifPositive = builder.select(actual, one, zero, name: "acc.p")
        let ifNegative = builder.select(actual, zero, one, name: "acc.n")
        return builder.select(predicted, ifPositive, ifNegative, name: "acc.ok")
    }
}
