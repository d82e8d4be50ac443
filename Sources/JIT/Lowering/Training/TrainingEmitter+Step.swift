import Micrograd

extension TrainingEmitter {
    /// The one-thread step (what a small batch runs):
    ///
    /// ```
    /// void @train_step(double* params, double* grads, double* mask, double* transposed,
    ///                  double* work, double* rows, double* targets, i64 n,
    ///                  double rate, double alpha, double invN, double* result,
    ///                  double* state0, double* state1, double* state2, double* common)
    /// ```
    ///
    /// It calls the phases in order over all rows and tiles, and stops after `loss` when the
    /// loss is NaN or infinite (nothing is updated, as the interpreter's trainer throws first).
    static let stepName = "train_step"

    static func emitWholeStep(_ layout: TrainingLayout, calling phases: [Phase: Function], into module: borrowing Module) {
        let context = module.context
        let double = context.double, pointer = context.double.pointer, int64 = context.int64
        let pointers = [pointer, pointer, pointer, pointer, pointer, pointer, pointer]
        let scalars = [int64, double, double, double]
        let buffers = [pointer, pointer, pointer, pointer, pointer]
        let function = module.addFunction(stepName, type: context.void.function(pointers + scalars + buffers))
        for index in [0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15] { function.markNoAlias(parameter: index, in: context) }
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let names = ["params", "grads", "mask", "wt", "work", "rows", "targets", "n", "rate", "alpha", "invn", "result",
                     "state0", "state1", "state2", "common"]
        let arguments = names.enumerated().map { function.parameter($0.offset, name: $0.element) }
        func call(_ phase: Phase, _ begin: IRValue, _ end: IRValue) {
            guard let callee = phases[phase] else { return }
            _ = builder.call(callee, arguments + [begin, end], name: "")
        }
        let zero = builder.index(0)
        call(.prepare, zero, builder.index(layout.transposeItems))
        call(.rows, zero, arguments[7])
        call(.loss, zero, zero)
        let loss = builder.loadDouble(arguments[11], zero, name: "loss")
        let finite = builder.isFinite(loss, name: "loss.finite")
        let train = function.appendBlock("train", in: context)
        let done = function.appendBlock("done", in: context)
        builder.branch(if: finite, then: train, else: done)
        builder.position(atEndOf: train)
        call(.grads, zero, builder.index(layout.gradientItems))
        call(.update, zero, builder.index(layout.updateItems))
        builder.branch(to: done)
        builder.position(atEndOf: done)
        builder.retVoid()
    }
}
