import Micrograd

/// Emits the per-thread functions of the GPU training step, one signature for all four, every
/// pointer in `addressSpace` (1, global memory, on NVPTX; the host tests compile the very same
/// functions for the CPU):
///
/// ```
/// void @gpu_train_<entry>(double* params, double* grads, double* mask, double* work, double* rows,
///                         double* targets, double* result, double* state0, double* state1,
///                         double* state2, double* common, i64 n, double rate, double alpha,
///                         double invN, i64 index)
/// ```
///
/// 1. `row` (index: a row): the forward pass of the row, its loss terms and correctness flags,
///    and every layer's sum adjoints, into the row's part of `work` (`TrainingLayout` with one
///    lane: no padding).
/// 2. `loss` (one thread): the terms and flags summed in row order, the loss with the L2 term,
///    `result = [loss, correct]` (the CPU step's `loss` phase).
/// 3. `gradient` (index: a parameter): its L2 start, then `+ x_rj · ds_rk` for every row r, last
///    row first (the bias's `x` is 1): the reduction over rows, in a fixed order, no atomics.
/// 4. `update` (index: a parameter): the optimiser's rule unless the parameter is frozen.
///
/// The functions reuse the CPU step's objective, adjoint, loss and update code (`TrainingEmitter`
/// bound to these parameters), so both compute the same operations.
///
/// NOTE (numerics): every sum is the interpreter's, in its order, as in the CPU step: a neuron's
/// sum from the bias adding `w_kj · x_j` for j ascending; an input adjoint `0 + w_kj · ds_k` for
/// k descending; a gradient from its L2 start over rows descending (the order `backward()` adds
/// the rows' contributions). One thread per parameter adds its n contributions sequentially: a
/// tree over rows would be faster for large batches but would round differently, so the
/// sequential sum is the (only, exact) mode. No FMA, no fast-math flags: NVPTX prints `mul.rn`
/// and `add.rn`, which the PTX compiler does not contract.
///
/// NOTE (performance, unmeasured): `loss` is one thread, and its L2 term a chain of one add per
/// parameter (the interpreter's order): some 0.5 ms for MLP(784,[128,64,10])'s 109,386
/// parameters at a few ns per dependent add. `gradient` threads of neighbouring parameters read
/// neighbouring inputs of a row (coalesced); `row` threads read the same weight at once (a
/// broadcast) but their rows 8 · inputs bytes apart.
struct GPUTrainingEmitter {
    enum Entry: String, CaseIterable {
        case row, loss, gradient, update
        /// `gpu_train_row`, ...: the per-thread function.
        var symbol: String { "gpu_train_\(rawValue)" }
        /// `train_row`, ...: its kernel.
        var kernelName: String { "train_\(rawValue)" }
    }

    let layout: TrainingLayout
    let objective: Objective
    let update: CompiledUpdate
    let addressSpace: Int

    /// `layout` for `shape` with one lane and no fused multiply-adds (the GPU's scalar threads).
    init(shape: MLPShape, objective: Objective, update: CompiledUpdate, addressSpace: Int) {
        var softmax = false
        if case .softmaxCrossEntropy = objective { softmax = true }
        layout = TrainingLayout(shape, tiling: TrainingTiling(lanes: 1, registers: 16, fused: false), softmax: softmax)
        self.objective = objective
        self.update = update
        self.addressSpace = addressSpace
    }

    /// The pointer parameters, then `n`, `rate`, `alpha`, `invN` (the kernels take these 15).
    static let pointerCount = 11

    /// The parameter types of the kernels: 11 pointers, `i64 n`, three doubles.
    func kernelParameterTypes(in context: Context) -> [IRType] {
        let pointer = context.double.pointer(addressSpace: addressSpace)
        return Array(repeating: pointer, count: Self.pointerCount) + [context.int64, context.double, context.double,
                                                                      context.double]
    }

    /// Adds the four functions to `module` and emits their bodies.
    ///
    /// - Throws: `JITError` from the objective's lowering.
    @discardableResult
    func emit(into module: borrowing Module) throws -> [Entry: Function] {
        let context = module.context
        let type = context.void.function(kernelParameterTypes(in: context) + [context.int64])
        var functions: [Entry: Function] = [:]
        for entry in Entry.allCases {
            let function = module.addFunction(entry.symbol, type: type)
            for index in 0..<Self.pointerCount { function.markNoAlias(parameter: index, in: context) }
            let builder = IRBuilder(context: context)
            builder.position(atEndOf: function.appendBlock("entry", in: context))
            let step = bind(function, builder: builder, math: module.mathDeclarations)
            let index = function.parameter(15, name: "index")
            switch entry {
            case .row: try emitRow(step, row: index)
            case .loss: step.emitLossResult()
            case .gradient: emitGradient(step, parameter: index)
            case .update: step.emitParameterUpdate(index)
            }
            builder.retVoid()
            functions[entry] = function
        }
        return functions
    }

    /// The CPU step's emitter over `function`'s parameters.
    ///
    /// NOTE: `transposed` (the CPU step's copy of the weights) has no counterpart here; it is
    /// bound to `params` and none of the methods these functions call reads it. `begin` and
    /// `end` are bound to `index`.
    private func bind(_ function: Function, builder: IRBuilder, math: MathDeclarations) -> TrainingEmitter {
        let names = ["params", "grads", "mask", "work", "rows", "targets", "result", "state0", "state1", "state2",
                     "common", "n", "rate", "alpha", "invn", "index"]
        let p = names.enumerated().map { function.parameter($0.offset, name: $0.element) }
        let n = p[11]
        let regions = WorkRegions(p[3], rows: n, layout: layout, builder: builder)
        return TrainingEmitter(
            layout: layout, objective: objective, update: update, builder: builder,
            emit: ScalarEmitter(builder: builder, math: math, precision: .float64), function: function,
            parameters: p[0], gradients: p[1], mask: p[2], transposed: p[0], work: p[3], rows: p[4], targets: p[5],
            rowCount: n, rate: p[12], alpha: p[13], inverseCount: p[14], result: p[6], state: [p[7], p[8], p[9]],
            common: p[10], begin: p[15], end: p[15], adjoints: regions.adjoints, terms: regions.terms,
            flags: regions.flags, live: regions.live)
    }
}
