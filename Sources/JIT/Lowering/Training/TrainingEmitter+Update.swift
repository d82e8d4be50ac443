import Micrograd

extension TrainingEmitter {
    /// The update of every parameter whose mask is not 0, by the compiled rule; a frozen
    /// parameter (mask 0) keeps its value and its state.
    ///
    /// NOTE (numerics): each rule is the interpreter optimiser's arithmetic, in its order and
    /// with its constants (`1 - beta1`, `1 - dampening`) computed as Swift computes them.
    func emitUpdate() {
        _ = builder.loop("upd", count: layout.parameterCount, in: function) { p, _ in
            let value = builder.loadDouble(parameters, p, name: "u.p")
            let gradient = builder.loadDouble(gradients, p, name: "u.g")
            let frozen = builder.fcmp(.equal, builder.loadDouble(mask, p, name: "u.m"), emit.constant(0), name: "u.frozen")
            /// Stores `new` to `buffer[p]` unless the parameter is frozen.
            func store(_ new: IRValue, _ old: IRValue, _ buffer: IRValue, _ name: String) {
                builder.storeDouble(builder.select(frozen, old, new, name: "\(name).s"), buffer, p, name: name)
            }
            switch update {
            case .sgd:
                // `parameter.data -= rate * parameter.grad` (SGD).
                store(builder.fsub(value, builder.fmul(rate, gradient, name: "sgd.step"), name: "sgd.new"), value,
                      parameters, "sgd.p")
            case let .momentum(momentum, dampening, nesterov, weightDecay):
                emitMomentum(p, value, gradient, momentum, dampening, nesterov, weightDecay, store)
            case let .adam(beta1, beta2, epsilon, weightDecay, decoupled):
                emitAdam(p, value, gradient, beta1, beta2, epsilon, weightDecay, decoupled, store)
            }
            return []
        }
    }

    /// `MomentumSGD.update` for one parameter: state0 = its buffer, state1 = 1 once it exists.
    private func emitMomentum(
        _ p: IRValue, _ value: IRValue, _ gradient: IRValue, _ momentum: Double, _ dampening: Double,
        _ nesterov: Bool, _ weightDecay: Double, _ store: (IRValue, IRValue, IRValue, String) -> Void
    ) {
        var g = gradient
        if weightDecay != 0 {
            g = builder.fadd(g, builder.fmul(emit.constant(weightDecay), value, name: "mom.wd"), name: "mom.gwd")
        }
        if momentum != 0 {
            let previous = builder.loadDouble(state[0], p, name: "mom.prev")
            let hasPrevious = builder.loadDouble(state[1], p, name: "mom.has")
            let decayed = builder.fmul(emit.constant(momentum), previous, name: "mom.decayed")
            let fresh = builder.fmul(emit.constant(1 - dampening), g, name: "mom.new")
            let continued = builder.fadd(decayed, fresh, name: "mom.cont")
            let exists = builder.fcmp(.equal, hasPrevious, emit.constant(1), name: "mom.exists")
            let buffer = builder.select(exists, continued, g, name: "mom.buf")
            store(buffer, previous, state[0], "mom.b")
            store(emit.constant(1), hasPrevious, state[1], "mom.h")
            g = nesterov
                ? builder.fadd(g, builder.fmul(emit.constant(momentum), buffer, name: "mom.nb"), name: "mom.nest")
                : buffer
        }
        store(builder.fsub(value, builder.fmul(rate, g, name: "mom.step"), name: "mom.newp"), value, parameters, "mom.p")
    }

    /// `Adam`/`AdamW` (`AdamState.update`) for one parameter: state0 = m, state1 = v,
    /// state2 = its update count t.
    private func emitAdam(
        _ p: IRValue, _ value: IRValue, _ gradient: IRValue, _ beta1: Double, _ beta2: Double, _ epsilon: Double,
        _ weightDecay: Double, _ decoupled: Bool, _ store: (IRValue, IRValue, IRValue, String) -> Void
    ) {
        let oldCount = builder.loadDouble(state[2], p, name: "adam.t0")
        let t = builder.fadd(oldCount, emit.constant(1), name: "adam.t")
        store(t, oldCount, state[2], "adam.ts")
        var parameter = value, g = gradient
        if decoupled {
            // `parameter.data *= 1 - rate * weightDecay`.
            let factor = builder.fsub(emit.constant(1), builder.fmul(rate, emit.constant(weightDecay), name: "adamw.rw"),
                                      name: "adamw.f")
            parameter = builder.fmul(value, factor, name: "adamw.p")
        } else if weightDecay != 0 {
            g = builder.fadd(g, builder.fmul(emit.constant(weightDecay), value, name: "adam.wd"), name: "adam.gwd")
        }
        let oldM = builder.loadDouble(state[0], p, name: "adam.m0")
        let oldV = builder.loadDouble(state[1], p, name: "adam.v0")
        let m = builder.fadd(builder.fmul(emit.constant(beta1), oldM, name: "adam.bm"),
                             builder.fmul(emit.constant(1 - beta1), g, name: "adam.gm"), name: "adam.m")
        let scaledG = builder.fmul(emit.constant(1 - beta2), g, name: "adam.gv1")
        let v = builder.fadd(builder.fmul(emit.constant(beta2), oldV, name: "adam.bv"),
                             builder.fmul(scaledG, g, name: "adam.gv"), name: "adam.v")
        store(m, oldM, state[0], "adam.ms")
        store(v, oldV, state[1], "adam.vs")
        let (power1, power2) = adamPowers(t, beta1, beta2)
        let correction1 = builder.fsub(emit.constant(1), power1, name: "adam.c1")
        let stepSize = builder.fdiv(rate, correction1, name: "adam.step")
        let correction2 = builder.fsub(emit.constant(1), power2, name: "adam.c2")
        let root = builder.fdiv(emit.call(.sqrt, v, name: "adam.sv"), emit.call(.sqrt, correction2, name: "adam.sc"),
                                name: "adam.r")
        let denominator = builder.fadd(root, emit.constant(epsilon), name: "adam.den")
        let change = builder.fmul(stepSize, builder.fdiv(m, denominator, name: "adam.q"), name: "adam.d")
        store(builder.fsub(parameter, change, name: "adam.newp"), value, parameters, "adam.p")
    }

    /// `(pow(beta1, t), pow(beta2, t))`: the caller's values when `t` is the common count `T`,
    /// else libm's `pow` (the same function, so the same bits either way).
    ///
    /// NOTE (speed): two `pow` calls per parameter and step were most of a small model's step.
    private func adamPowers(_ t: IRValue, _ beta1: Double, _ beta2: Double) -> (IRValue, IRValue) {
        let commonCount = builder.loadDouble(common, builder.index(0), name: "adam.T")
        let common1 = builder.loadDouble(common, builder.index(1), name: "adam.T1")
        let common2 = builder.loadDouble(common, builder.index(2), name: "adam.T2")
        let isCommon = builder.fcmp(.equal, t, commonCount, name: "adam.isT")
        let context = builder.context
        let shared = function.appendBlock("adam.shared", in: context)
        let own = function.appendBlock("adam.own", in: context)
        let join = function.appendBlock("adam.join", in: context)
        builder.branch(if: isCommon, then: shared, else: own)
        builder.position(atEndOf: shared)
        builder.branch(to: join)
        builder.position(atEndOf: own)
        let own1 = emit.call(.pow, emit.constant(beta1), t, name: "adam.b1t")
        let own2 = emit.call(.pow, emit.constant(beta2), t, name: "adam.b2t")
        builder.branch(to: join)
        builder.position(atEndOf: join)
        let power1 = builder.phi(context.double, name: "adam.p1")
        builder.addIncoming(power1, common1, from: shared)
        builder.addIncoming(power1, own1, from: own)
        let power2 = builder.phi(context.double, name: "adam.p2")
        builder.addIncoming(power2, common2, from: shared)
        builder.addIncoming(power2, own2, from: own)
        return (power1, power2)
    }
}
