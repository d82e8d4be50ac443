import Micrograd

/// Emits the compiled training step of an MLP as five functions of one signature, which the
/// caller runs in order (`CompiledTrainer`), `rows`, `grads` and `update` split over threads, and
/// `@train_step` (the same arguments less `begin` and `end`), which runs them all on one thread:
///
/// ```
/// void @train_<phase>(double* params, double* grads, double* mask, double* transposed,
///                     double* work, double* rows, double* targets, i64 n,
///                     double rate, double alpha, double invN, double* result,
///                     double* state0, double* state1, double* state2, double* common,
///                     i64 begin, i64 end)
/// ```
///
/// 1. `prepare` (work items `begin..<end`, any split; runs of a layer's input columns):
///    `transposed` ← the weights layer by layer as `[input][neuron]` (bias row last, neurons
///    padded to whole vectors with zeros).
/// 2. `rows` (rows `begin..<end`, any split): per tile of rows, the forward pass of every
///    layer (register tiles over rows × output vectors), each row's loss terms and correctness
///    flags (one per output, or one per row for softmax), the score adjoints, then every
///    layer's sum adjoints `ds` top down (register tiles over rows × input vectors), all in
///    `work` (see `TrainingLayout`).
/// 3. `loss`: the terms summed left to right, `loss = sum · invN (+ alpha · Σ p·p)`,
///    `result = [loss, correct]`. (The caller stops when the loss is NaN or infinite, as the
///    interpreter's trainer throws.) For the hinge objective, the list of live rows: those not
///    past the margin (`TrainingEmitter+LiveRows.swift`).
/// 4. `grads` (weight-gradient tiles `begin..<end`, any split): per tile of neurons, every
///    weight and bias gradient of those neurons, each from the L2 term's contribution over all
///    rows (the live rows for hinge: a skipped row adds ±0, which changes no bit), last row first.
/// 5. `update` (work items `begin..<end`, any split; runs of parameters): the optimiser's rule
///    (`CompiledUpdate`) where `mask[p] != 0`.
///
/// The `state` buffers hold the optimiser's per-parameter state (see `CompiledUpdate`);
/// `common` holds `[T, pow(beta1, T), pow(beta2, T), all]` for Adam (computed by the caller
/// with libm's `pow`, as the interpreter does; `all` = 1 when every learnable parameter is at
/// count `T`, then the update loop vectorises, else it calls `pow` per parameter).
/// `invN` is `1 / (n · outputs)`, or `1 / n` for softmax cross-entropy.
///
/// NOTE (numerics): every sum is the interpreter's, in its order, so in `.exact` numerics the
/// step equals the interpreted one bit for bit on every vector width (barring libm):
/// - a neuron's sum: the bias, then `+ w_kj · x_j` for j ascending (vectors run across
///   neurons or rows, never across a sum);
/// - `backward()` visits the graph in reverse topological order: the L2 term first, then the
///   rows last to first, and within a row the neurons of a layer last to first. So a weight's
///   gradient is its L2 start `+ x_rj · ds_rk` for r descending (the gradient tiles' row loop
///   runs down), a bias's the same with `ds_rk` itself (`1 · ds` is exactly `ds`, so the bias
///   is one more input column whose `x` is 1), and an input adjoint `dx_rj` is
///   `0 + w_kj · ds_rk` for k descending;
/// - each `·` and `+` is its own rounding (no FMA, no fast-math flags).
/// Which thread runs which rows or tiles changes no operation, so no result bit depends on it.
///
/// NOTE (numerics, `.fast`): on a processor with FMA the three kernels' `acc + a·b` becomes
/// `fma(a, b, acc)` (one rounding instead of two), in the same order. For an element summed
/// from `s0` over m products, both results are within `γ_m (|s0| + Σ|a_i b_i|)` of the exact
/// sum (γ_m = m·eps/(1 − m·eps), eps = 2⁻⁵³), so
/// `|fast − exact| <= 2 γ_(m+1) (|s0| + Σ|a_i b_i|)` per element of one kernel; through
/// several layers the differences propagate through the activations and the loss (tested end
/// to end at 1e-9 relative).
struct TrainingEmitter {
    /// The functions, in the order the caller runs them.
    enum Phase: String, CaseIterable {
        case prepare, rows, loss, grads, update
        var symbol: String { "train_\(rawValue)" }
    }

    let layout: TrainingLayout
    let objective: Objective
    let update: CompiledUpdate
    let builder: IRBuilder
    let emit: ScalarEmitter
    let function: Function

    // The function's parameters.
    let parameters: IRValue, gradients: IRValue, mask: IRValue, transposed: IRValue
    let work: IRValue, rows: IRValue, targets: IRValue, rowCount: IRValue
    let rate: IRValue, alpha: IRValue, inverseCount: IRValue, result: IRValue
    let state: [IRValue]
    /// `[T, pow(beta1, T), pow(beta2, T), all]` for Adam (see the type's comment).
    let common: IRValue
    /// The range of rows (`rows`) or work items (`prepare`, `grads`, `update`) this call computes.
    let begin: IRValue, end: IRValue
    /// The regions of `work` after the activations: sum adjoints, loss terms, correctness flags,
    /// the live rows (see `WorkRegions`).
    let adjoints: IRValue, terms: IRValue, flags: IRValue, live: IRValue

    var tiling: TrainingTiling { layout.tiling }

    /// Emits the five functions into `module`.
    static func emit(
        _ layout: TrainingLayout, objective: Objective, update: CompiledUpdate, into module: borrowing Module
    ) throws {
        let context = module.context
        let double = context.double, pointer = context.double.pointer, int64 = context.int64
        let signature = context.void.function(
            [pointer, pointer, pointer, pointer, pointer, pointer, pointer, int64, double, double, double, pointer,
             pointer, pointer, pointer, pointer, int64, int64])
        var functions: [Phase: Function] = [:]
        for phase in Phase.allCases {
            let function = module.addFunction(phase.symbol, type: signature)
            functions[phase] = function
            for index in [0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15] { function.markNoAlias(parameter: index, in: context) }
            let builder = IRBuilder(context: context)
            builder.position(atEndOf: function.appendBlock("entry", in: context))
            let work = function.parameter(4, name: "work"), n = function.parameter(7, name: "n")
            let regions = WorkRegions(work, rows: n, layout: layout, builder: builder)
            let emitter = TrainingEmitter(
                layout: layout, objective: objective, update: update, builder: builder,
                emit: ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: .float64),
                function: function,
                parameters: function.parameter(0, name: "params"), gradients: function.parameter(1, name: "grads"),
                mask: function.parameter(2, name: "mask"), transposed: function.parameter(3, name: "wt"),
                work: work, rows: function.parameter(5, name: "rows"),
                targets: function.parameter(6, name: "targets"), rowCount: n,
                rate: function.parameter(8, name: "rate"), alpha: function.parameter(9, name: "alpha"),
                inverseCount: function.parameter(10, name: "invn"), result: function.parameter(11, name: "result"),
                state: (0..<3).map { function.parameter(12 + $0, name: "state\($0)") },
                common: function.parameter(15, name: "common"),
                begin: function.parameter(16, name: "begin"), end: function.parameter(17, name: "end"),
                adjoints: regions.adjoints, terms: regions.terms, flags: regions.flags, live: regions.live)
            try emitter.emitBody(phase)
            builder.retVoid()
        }
        emitWholeStep(layout, calling: functions, into: module)
    }

    private func emitBody(_ phase: Phase) throws {
        switch phase {
        case .prepare:
            try emitTranspose()
            if skipsDeadRows { emitWeightsFiniteFlag() }
        case .rows: try emitRows()
        case .loss:
            emitLossResult()
            if skipsDeadRows { emitLiveRows() }
        case .grads: try emitGradientTiles()
        case .update: emitUpdate()
        }
    }

    /// `0 + x`: the first contribution added to a zeroed gradient, as the interpreter adds it.
    ///
    /// NOTE: kept (LLVM cannot drop it without `nsz`): it turns a -0 contribution into +0.
    func fresh(_ x: IRValue, name: String) -> IRValue {
        builder.fadd(x.type.zero, x, name: name)
    }

    /// `acc + a · b`: two roundings in exact numerics, one (`llvm.fma`) when the tiling fuses.
    func multiplyAdd(_ acc: IRValue, _ a: IRValue, _ b: IRValue, name: String) throws -> IRValue {
        if tiling.fused { return builder.fusedMultiplyAdd(a, b, acc, name: name) }
        return builder.fadd(acc, builder.fmul(a, b, name: "\(name).m"), name: name)
    }

    /// The index in `targets` of output `k`'s target for the row `sample`.
    func targetIndex(sample: IRValue, _ k: IRValue) -> IRValue {
        let row = builder.mul(sample, builder.index(layout.outputCount), name: "y.row")
        return builder.add(row, k, name: "y.idx")
    }

    /// The index of layer `layer`'s output (or sum adjoint) `k` of the row `sample`, in the
    /// activations (or adjoints) region of `work`.
    func activationIndex(_ layer: Int, sample: IRValue, _ k: IRValue) -> IRValue {
        let row = builder.mul(sample, builder.index(layout.rowStride), name: "a.row")
        let start = builder.offset(row, by: layout.unitOffsets[layer], name: "a.layer")
        return builder.add(start, k, name: "a.idx")
    }

    /// The index of layer `layer`'s input `j` of the row `sample`: in `rows` for layer 0, else in
    /// the activations (the previous layer's outputs); with the buffer it is in.
    func inputIndex(_ layer: Int, sample: IRValue, _ j: IRValue) -> (buffer: IRValue, index: IRValue) {
        if layer == 0 {
            let row = builder.mul(sample, builder.index(layout.inputCount), name: "x.row")
            return (rows, builder.add(row, j, name: "x.idx"))
        }
        return (work, activationIndex(layer - 1, sample: sample, j))
    }

    /// A vector of `lanes` copies of the constant `value`.
    func constant(_ value: Double, lanes: Int) -> IRValue {
        lanes == 1 ? emit.constant(value) : builder.splat(emit.constant(value), lanes: lanes, name: "c")
    }
}

/// Where the regions of the work buffer after the activations start, for `n` rows (see
/// `TrainingLayout`): the CPU step's phases and the GPU's kernels find them the same way.
struct WorkRegions {
    let adjoints: IRValue, terms: IRValue, flags: IRValue, live: IRValue

    init(_ work: IRValue, rows n: IRValue, layout: TrainingLayout, builder: IRBuilder) {
        let rowValues = builder.mul(n, builder.index(layout.rowStride), name: "nS")
        let termValues = builder.mul(n, builder.index(layout.termsPerRow), name: "nT")
        adjoints = builder.doubleElement(work, rowValues, name: "ds.base")
        terms = builder.doubleElement(adjoints, rowValues, name: "terms.base")
        flags = builder.doubleElement(terms, termValues, name: "flags.base")
        live = builder.doubleElement(flags, termValues, name: "live.base")
    }
}
