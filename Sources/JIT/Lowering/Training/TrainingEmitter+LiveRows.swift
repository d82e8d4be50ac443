import Micrograd

/// The rows whose weight-gradient contributions the `grads` phase must add, and the loop over
/// them.
///
/// A row is *dead* when every sum adjoint of the last layer is zero (a hinge term past its
/// margin, for example): then every sum adjoint of the row is ±0 and each of its contributions
/// `x · ds` to a weight gradient is ±0, provided the weights and the row's activations are finite
/// (else `0 · inf` = NaN, which the interpreter's sum keeps). The `rows` phase tests each row once
/// (`rowIsDead`) and skips the input adjoints of a tile whose rows are all dead; the `loss` phase
/// lists the live rows from its marks; the `grads` phase adds only theirs.
///
/// NOTE (numerics): skipping changes no bit. A gradient accumulator starts at `+0` or a nonzero
/// value (`gradientStart`: `0 + half + half`, or `+0` without L2), and `+0 + ±0 = +0`, `a + ±0 = a`
/// for `a ≠ 0`, while a sum of nonzero terms that cancels is `+0` (round to nearest), so it never
/// holds `-0`, the one value that adding `+0` would change.
extension TrainingEmitter {
    /// Whether the step keeps a list of live rows: for the hinge objective, whose terms past the
    /// margin have a zero adjoint (late in training most rows). The other objectives' adjoints
    /// are zero only by chance, so their row loops stay dense (no scan, no indexed addresses).
    var skipsDeadRows: Bool {
        if case .hinge = objective { return true }
        return false
    }

    /// The `grads` phase's row loop, last row first (the interpreter's order): over the live rows
    /// (``liveRowLoop(_:carrying:body:)``) when ``skipsDeadRows``, else over all rows.
    func gradientRowLoop(
        _ name: String, carrying initial: [IRValue], body: (_ sample: IRValue, _ carried: [IRValue]) throws -> [IRValue]
    ) throws -> [IRValue] {
        if skipsDeadRows { return try liveRowLoop(name, carrying: initial, body: body) }
        return try builder.reverseLoop(name, runtimeCount: rowCount, in: function, carrying: initial, body: body)
    }

    /// In the `prepare` phase, in the call whose items start at 0: `live[1 + n]` ← 1 when every
    /// weight is finite, else 0 (the `rows` phase reads it).
    func emitWeightsFiniteFlag() {
        let context = builder.context
        let scan = function.appendBlock("lw.scan", in: context)
        let done = function.appendBlock("lw.done", in: context)
        builder.branch(if: builder.icmp(.equal, begin, builder.index(0), name: "lw.first"), then: scan, else: done)
        builder.position(atEndOf: scan)
        let finite = builder.loop(
            "lw", count: layout.parameterCount, in: function, carrying: [context.bool.constant(integer: 1)]
        ) { p, carried in
            [builder.and(carried[0], builder.isFinite(builder.loadDouble(parameters, p, name: "lw.p"), name: "lw.fin"), name: "lw.ok")]
        }[0]
        let flag = builder.select(finite, emit.constant(1), emit.constant(0), name: "lw.flag")
        builder.storeDouble(flag, live, builder.offset(rowCount, by: 1, name: "lw.at"), name: "lw.store")
        builder.branch(to: done)
        builder.position(atEndOf: done)
    }

    /// Whether every weight is finite, as `prepare` found (`emitWeightsFiniteFlag`).
    func weightsFinite() -> IRValue {
        let flag = builder.loadDouble(live, builder.offset(rowCount, by: 1, name: "lw.at"), name: "lw.flag")
        return builder.fcmp(.equal, flag, emit.constant(1), name: "lw.finite")
    }

    /// Whether row `sample` is dead: every sum adjoint of the last layer is zero, and (checked
    /// only then) the row's activations and the weights are finite.
    func rowIsDead(_ sample: IRValue, weightsFinite: IRValue) -> IRValue {
        let last = layout.layers.count - 1
        var quiet = weightsFinite
        for k in 0..<layout.outputCount {
            let ds = builder.loadDouble(adjoints, activationIndex(last, sample: sample, builder.index(k)), name: "live.ds")
            quiet = builder.and(quiet, builder.fcmp(.equal, ds, emit.constant(0), name: "live.zero"), name: "live.q")
        }
        return emitActivationsFinite(sample, when: quiet)
    }

    /// In the `loss` phase: `live[0]` ← the number of rows that are not dead, `live[1...]` ←
    /// their indices in ascending order (as doubles), compacted in place from the flags the
    /// `rows` phase left at `live[1 + row]` (`unlessAllDead`): the index written at step `row` goes
    /// to `live[1 + count]`, `count <= row`, a flag already read.
    func emitLiveRows() {
        let int64 = builder.context.int64
        let count = builder.loop("live", runtimeCount: rowCount, in: function, carrying: [int64.constant(integer: 0)]) {
            sample, carried in
            let flag = builder.loadDouble(live, builder.offset(sample, by: 1, name: "live.f"), name: "live.flag")
            let dead = builder.fcmp(.equal, flag, emit.constant(1), name: "live.dead")
            builder.storeDouble(
                builder.signedToFloat(sample, to: builder.context.double, name: "live.r"), live,
                builder.offset(carried[0], by: 1, name: "live.at"), name: "live.store")
            let step = builder.select(dead, int64.constant(integer: 0), int64.constant(integer: 1), name: "live.step")
            return [builder.add(carried[0], step, name: "live.count")]
        }[0]
        builder.storeDouble(builder.signedToFloat(count, to: builder.context.double, name: "live.n"), live,
                            builder.index(0), name: "live.store.n")
    }

    /// In the `rows` phase: marks each of the `count` rows from `first` dead (1) or live (0) at
    /// `live[1 + row]` for the `loss` phase, then runs `body()` (the tile's input adjoints)
    /// unless every one is dead, whose adjoints the `grads` phase never reads.
    func unlessAllDead(first: IRValue, count: Int, _ body: () throws -> Void) throws {
        let context = builder.context
        let finite = weightsFinite()
        var allDead = context.bool.constant(integer: 1)
        for r in 0..<count {
            let sample = builder.offset(first, by: r, name: "ta.r")
            let dead = rowIsDead(sample, weightsFinite: finite)
            builder.storeDouble(builder.select(dead, emit.constant(1), emit.constant(0), name: "ta.flag"), live,
                                builder.offset(sample, by: 1, name: "ta.at"), name: "ta.store")
            allDead = builder.and(allDead, dead, name: "ta.dead")
        }
        let run = function.appendBlock("ta.run", in: context)
        let next = function.appendBlock("ta.next", in: context)
        builder.branch(if: allDead, then: next, else: run)
        builder.position(atEndOf: run)
        try body()
        builder.branch(to: next)
        builder.position(atEndOf: next)
    }

    /// `for k in (0..<liveCount).reversed()` over the live rows, last first, with `body(sample,
    /// carried)`: the `grads` phase's row loop (the interpreter adds rows last to first).
    func liveRowLoop(
        _ name: String, carrying initial: [IRValue], body: (_ sample: IRValue, _ carried: [IRValue]) throws -> [IRValue]
    ) throws -> [IRValue] {
        let int64 = builder.context.int64
        let count = builder.floatToSigned(builder.loadDouble(live, builder.index(0), name: "\(name).n"), to: int64,
                                          name: "\(name).count")
        return try builder.reverseLoop(name, runtimeCount: count, in: function, carrying: initial) { k, carried in
            let at = builder.offset(k, by: 1, name: "\(name).at")
            let sample = builder.floatToSigned(builder.loadDouble(live, at, name: "\(name).rd"), to: int64,
                                               name: "\(name).row")
            return try body(sample, carried)
        }
    }

    /// `quiet && every activation of row `sample` is finite`, reading the activations only when
    /// `quiet` (a branch: most rows of a step are either all dead or all live).
    private func emitActivationsFinite(_ sample: IRValue, when quiet: IRValue) -> IRValue {
        let bool = builder.context.bool
        return builder.value(if: quiet, otherwise: bool.constant(integer: 0), in: function, name: "live.dead") {
            var finite = bool.constant(integer: 1)
            for (number, layer) in layout.layers.enumerated() {
                finite = builder.loop("live.a\(number)", count: layer.outputs, in: function,
                                      carrying: [finite]) { k, c in
                    let a = builder.loadDouble(work, activationIndex(number, sample: sample, k), name: "live.a")
                    return [builder.and(c[0], builder.isFinite(a, name: "live.fin"), name: "live.af")]
                }[0]
            }
            return finite
        }
    }
}
