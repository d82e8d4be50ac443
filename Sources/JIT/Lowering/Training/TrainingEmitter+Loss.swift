import Micrograd

extension TrainingEmitter {
    /// The `loss` phase: the terms and flags summed in row-major order, the loss,
    /// `result = [loss, correct]`; returns the loss. (The GPU's loss kernel is the same, on one
    /// thread.)
    @discardableResult
    func emitLossResult() -> IRValue {
        // NOTE: the sum starts at -0, the identity of `+`, so it equals `t0 + t1 + ...` exactly.
        let count = builder.mul(rowCount, builder.index(layout.termsPerRow), name: "terms.n")
        let totals = builder.loop("sum", runtimeCount: count, in: function,
                                  carrying: [emit.constant(-0.0), emit.constant(0)]) { i, carried in
            [builder.fadd(carried[0], builder.loadDouble(terms, i, name: "sum.t"), name: "loss.sum"),
             builder.fadd(carried[1], builder.loadDouble(flags, i, name: "sum.f"), name: "correct.sum")]
        }
        let loss = emitLoss(sum: totals[0])
        builder.storeDouble(loss, result, builder.index(0), name: "res.loss")
        builder.storeDouble(totals[1], result, builder.index(1), name: "res.correct")
        return loss
    }

    /// The loss: `sum · invN`, plus `(Σ p·p) · alpha` unless alpha is 0 (then no L2 term at
    /// all, as the interpreter's trainer builds none).
    private func emitLoss(sum: IRValue) -> IRValue {
        let data = builder.fmul(sum, inverseCount, name: "loss.data")
        let noL2 = builder.fcmp(.equal, alpha, emit.constant(0), name: "l2.off")
        // NOTE (performance): the sum of squares is a sequential chain of adds (the
        // interpreter's order); it is skipped when alpha is 0.
        let l2 = builder.xor(noL2, builder.context.bool.constant(integer: 1), name: "l2.on")
        let squares = builder.value(if: l2, otherwise: emit.constant(-0.0), in: function, name: "l2.total") {
            builder.loop("l2", count: layout.parameterCount, in: function, carrying: [emit.constant(-0.0)]) {
                p, carried in
                let value = builder.loadDouble(parameters, p, name: "l2.p")
                return [builder.fadd(carried[0], builder.fmul(value, value, name: "l2.sq"), name: "l2.sum")]
            }[0]
        }
        let regularized = builder.fadd(data, builder.fmul(squares, alpha, name: "loss.l2"), name: "loss.total")
        return builder.select(noL2, data, regularized, name: "loss")
    }
}
