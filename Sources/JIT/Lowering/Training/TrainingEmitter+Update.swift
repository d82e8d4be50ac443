import Micrograd

extension TrainingEmitter {
    /// The `update` phase for the work items `begin..<end` (any split): the update of each of
    /// their parameters whose mask is not 0, by the compiled rule; a frozen parameter (mask 0)
    /// keeps its value and its state. Each parameter's update reads only its own numbers, so
    /// the split changes no bit.
    ///
    /// NOTE (numerics): each rule is the interpreter optimiser's arithmetic, in its order and
    /// with its constants (`1 - beta1`, `1 - dampening`) computed as Swift computes them.
    func emitUpdate() {
        guard case .adam = update else {
            emitUpdateLoop(commonCount: false)
            return
        }
        // Adam: when every learnable parameter has had the same number of updates (the caller
        // says so in common[3]), a loop that takes libm's powers of the betas from the caller
        // (loop invariant, so it vectorises); otherwise one that calls pow per parameter.
        let context = builder.context
        let shared = function.appendBlock("upd.shared", in: context)
        let own = function.appendBlock("upd.own", in: context)
        let join = function.appendBlock("upd.join", in: context)
        let allCommon = builder.loadDouble(common, builder.index(3), name: "adam.all")
        builder.branch(if: builder.fcmp(.equal, allCommon, emit.constant(1), name: "adam.isall"), then: shared, else: own)
        builder.position(atEndOf: shared)
        emitUpdateLoop(commonCount: true)
        builder.branch(to: join)
        builder.position(atEndOf: own)
        emitUpdateLoop(commonCount: false)
        builder.branch(to: join)
        builder.position(atEndOf: join)
    }

    /// One loop over the parameters of the work items `begin..<end` (runs of
    /// `TrainingLayout.updateParameters`) applying the update; `commonCount`: Adam's powers of
    /// the betas are the caller's (every learnable parameter's count is the common one).
    private func emitUpdateLoop(commonCount: Bool) {
        let name = commonCount ? "updc" : "upd", size = builder.index(TrainingLayout.updateParameters)
        let low = builder.mul(begin, size, name: "\(name).lo")
        let high = builder.smin(builder.mul(end, size, name: "\(name).end"), builder.index(layout.parameterCount),
                                name: "\(name).hi")
        _ = builder.loop(name, runtimeCount: builder.sub(high, low, name: "\(name).n"), in: function) { step, _ in
            emitParameterUpdate(builder.add(low, step, name: "\(name).p"), commonCount: commonCount)
            return []
        }
    }

    /// The update of the one parameter `p` (the GPU's update kernel runs one per thread); Adam
    /// branches on `common[3]` as ``emitUpdate()`` does for the whole loop.
    func emitParameterUpdate(_ p: IRValue) {
        guard case .adam = update else {
            emitParameterUpdate(p, commonCount: false)
            return
        }
        let context = builder.context
        let shared = function.appendBlock("pu.shared", in: context)
        let own = function.appendBlock("pu.own", in: context)
        let join = function.appendBlock("pu.join", in: context)
        let allCommon = builder.loadDouble(common, builder.index(3), name: "adam.all")
        let isAll = builder.fcmp(.equal, allCommon, emit.constant(1), name: "adam.isall")
        builder.branch(if: isAll, then: shared, else: own)
        builder.position(atEndOf: shared)
        emitParameterUpdate(p, commonCount: true)
        builder.branch(to: join)
        builder.position(atEndOf: own)
        emitParameterUpdate(p, commonCount: false)
        builder.branch(to: join)
        builder.position(atEndOf: join)
    }

    /// The compiled rule for parameter `p`, unless its mask is 0.
    private func emitParameterUpdate(_ p: IRValue, commonCount: Bool) {
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
            emitAdam(p, value, gradient, beta1, beta2, epsilon, weightDecay, decoupled, commonCount, store)
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
        _ weightDecay: Double, _ decoupled: Bool, _ commonCount: Bool,
        _ store: (IRValue, IRValue, IRValue, String) -> Void
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
        let power1 = commonCount
            ? builder.loadDouble(common, builder.index(1), name: "adam.T1")
            : emit.call(.pow, emit.constant(beta1), t, name: "adam.b1t")
        let power2 = commonCount
            ? builder.loadDouble(common, builder.index(2), name: "adam.T2")
            : emit.call(.pow, emit.constant(beta2), t, name: "adam.b2t")
        let correction1 = builder.fsub(emit.constant(1), power1, name: "adam.c1")
        let stepSize = builder.fdiv(rate, correction1, name: "adam.step")
        let correction2 = builder.fsub(emit.constant(1), power2, name: "adam.c2")
        let root = builder.fdiv(emit.call(.sqrt, v, name: "adam.sv"), emit.call(.sqrt, correction2, name: "adam.sc"),
                                name: "adam.r")
        let denominator = builder.fadd(root, emit.constant(epsilon), name: "adam.den")
        let change = builder.fmul(stepSize, builder.fdiv(m, denominator, name: "adam.q"), name: "adam.d")
        store(builder.fsub(parameter, change, name: "adam.newp"), value, parameters, "adam.p")
    }
}
