import Micrograd

/// Emits one compiled training step for an MLP: forward over every row, loss, backward, update.
///
/// ```
/// void @train_step(double* params, double* grads, double* mask, double* transposed,
///                  double* activations, double* rows, double* targets, i64 n,
///                  double rate, double alpha, double invN, double* result,
///                  double* state0, double* state1, double* state2, double* common)
/// ```
///
/// The `state` buffers hold the optimiser's per-parameter state (see `CompiledUpdate`);
/// `common` holds `[T, pow(beta1, T), pow(beta2, T), all]` for Adam: the update count `T` of
/// this step, libm's powers of the betas (computed by the caller, the same function the
/// interpreter calls) and 1 when every learnable parameter is at that count (then the update
/// loop uses them and vectorises; else it calls `pow` per parameter).
///
/// The structure is loops over buffers: over the rows (a run-time count), the layers (one
/// block each), neurons and inputs (constant counts). Code size depends on the number of
/// layers only, not on the widths or the number of rows.
///
/// 1. `transposed` ← the weights layer by layer as `[input][neuron]` (bias last), so the
///    forward loops read consecutive neurons, which vectorises without reordering any sum.
/// 2. Forward, row by row: each neuron's output into `activations` (one row per sample), the
///    loss term of each row and output (targets row-major, `n · outputs` of them) summed left
///    to right, correct predictions counted. `invN` is `1 / (n · outputs)`.
/// 3. `loss = sum · invN (+ alpha · Σ p·p)`; `result = [loss, correct]`. If the loss is NaN or
///    infinite, stop here (nothing is updated, as the interpreter's trainer throws first).
/// 4. `grads` ← the L2 term's gradient, then the rows' contributions, last row first.
/// 5. The update (`CompiledUpdate`: SGD, momentum, Adam or AdamW) where `mask[p] != 0`
///    (frozen parameters have mask 0 and keep their value and state).
///
/// With `.softmaxCrossEntropy` a row has one loss term over all its outputs and one target, its
/// class index (`invN` is then `1 / n`).
///
/// NOTE (numerics): every sum and product is the interpreter's, in its order: neuron sums from
/// the bias in input order; the loss as `Loss` builds it; the backward pass adds contributions
/// in the order `backward()` visits the graph (reverse topological order): the L2 term first,
/// then the rows from last to first, and within a row the neurons of a layer from last to
/// first. So in Float64 the compiled step equals the interpreted one bit for bit, barring libm.
struct TrainingEmitter {
    static let entryName = "train_step"

    let layout: TrainingLayout
    let objective: Objective
    let update: CompiledUpdate
    let builder: IRBuilder
    let emit: ScalarEmitter
    let function: Function

    // The function's parameters.
    let parameters: IRValue, gradients: IRValue, mask: IRValue, transposed: IRValue
    let activations: IRValue, rows: IRValue, targets: IRValue, rowCount: IRValue
    let rate: IRValue, alpha: IRValue, inverseCount: IRValue, result: IRValue
    let state: [IRValue]
    /// `[T, pow(beta1, T), pow(beta2, T), all]` for Adam (see the type's comment).
    let common: IRValue
    /// Stack buffers of `layout.widestLayer` doubles: a neuron-sum accumulator and two adjoint
    /// buffers used in turn by the backward pass.
    let accumulator: IRValue, adjointsA: IRValue, adjointsB: IRValue

    /// Emits the step function into `module`.
    static func emit(
        _ layout: TrainingLayout, objective: Objective, update: CompiledUpdate, into module: borrowing Module
    ) throws {
        let context = module.context
        let double = context.double, pointer = context.double.pointer
        let signature = context.void.function(
            [pointer, pointer, pointer, pointer, pointer, pointer, pointer, context.int64, double, double, double, pointer,
             pointer, pointer, pointer, pointer])
        let function = module.addFunction(entryName, type: signature)
        for index in [0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15] { function.markNoAlias(parameter: index, in: context) }
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let width = layout.widestLayer
        let emitter = TrainingEmitter(
            layout: layout, objective: objective, update: update, builder: builder,
            emit: ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: .float64),
            function: function,
            parameters: function.parameter(0, name: "params"), gradients: function.parameter(1, name: "grads"),
            mask: function.parameter(2, name: "mask"), transposed: function.parameter(3, name: "wt"),
            activations: function.parameter(4, name: "acts"), rows: function.parameter(5, name: "rows"),
            targets: function.parameter(6, name: "targets"), rowCount: function.parameter(7, name: "n"),
            rate: function.parameter(8, name: "rate"), alpha: function.parameter(9, name: "alpha"),
            inverseCount: function.parameter(10, name: "invn"), result: function.parameter(11, name: "result"),
            state: (0..<3).map { function.parameter(12 + $0, name: "state\($0)") },
            common: function.parameter(15, name: "common"),
            accumulator: builder.alloca(double, count: width, name: "acc"),
            adjointsA: builder.alloca(double, count: width, name: "adj.a"),
            adjointsB: builder.alloca(double, count: width, name: "adj.b"))
        try emitter.emitBody()
    }

    /// The five phases of the step.
    private func emitBody() throws {
        emitTranspose()
        let (sum, correct) = try emitForwardPass()
        let loss = emitLoss(sum: sum)
        builder.storeDouble(loss, result, builder.index(0), name: "res.loss")
        builder.storeDouble(correct, result, builder.index(1), name: "res.correct")

        // NOTE: `loss - loss == 0` is false exactly for NaN and ±inf (ordered comparison).
        let difference = builder.fsub(loss, loss, name: "loss.diff")
        let finite = builder.fcmp(.equal, difference, emit.constant(0), name: "loss.finite")
        let train = function.appendBlock("train", in: builder.context)
        let done = function.appendBlock("done", in: builder.context)
        builder.branch(if: finite, then: train, else: done)

        builder.position(atEndOf: train)
        emitGradientStart()
        _ = try builder.reverseLoop("bwd", runtimeCount: rowCount, in: function) { sample, _ in
            try emitBackward(sample: sample)
            return []
        }
        emitUpdate()
        builder.branch(to: done)

        builder.position(atEndOf: done)
        builder.retVoid()
    }

    /// `0 + x`: the first contribution added to a zeroed gradient, as the interpreter adds it.
    ///
    /// NOTE: kept (LLVM cannot drop it without `nsz`): it turns a -0 contribution into +0.
    func fresh(_ x: IRValue, name: String) -> IRValue {
        builder.fadd(emit.constant(0), x, name: name)
    }

    /// A layer's input `j` of the row `sample`: the data for layer 0, else the previous layer's output.
    func layerInput(_ layer: Int, sample: IRValue, _ j: IRValue) -> IRValue {
        if layer == 0 {
            let row = builder.mul(sample, builder.index(layout.inputCount), name: "x.row")
            return builder.loadDouble(rows, builder.add(row, j, name: "x.idx"), name: "x")
        }
        return builder.loadDouble(activations, activationIndex(layer - 1, sample: sample, j), name: "h\(layer - 1)")
    }

    /// The index in `targets` of output `k`'s target for the row `sample`.
    func targetIndex(sample: IRValue, _ k: IRValue) -> IRValue {
        let row = builder.mul(sample, builder.index(layout.outputCount), name: "y.row")
        return builder.add(row, k, name: "y.idx")
    }

    /// The index in `activations` of layer `layer`'s output `k` for the row `sample`.
    func activationIndex(_ layer: Int, sample: IRValue, _ k: IRValue) -> IRValue {
        let row = builder.mul(sample, builder.index(layout.unitCount), name: "a.row")
        let start = builder.offset(row, by: layout.unitOffsets[layer], name: "a.layer")
        return builder.add(start, k, name: "a.idx")
    }
}
