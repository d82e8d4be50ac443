import Micrograd

extension GPUTrainingEmitter {
    /// The gradient of parameter `p` (`0 <= p < parameterCount`, the caller's guarantee): its
    /// layer found by comparing `p` with the layers' ends, then that layer's sum over rows.
    func emitGradient(_ step: TrainingEmitter, parameter p: IRValue) {
        let builder = step.builder, context = builder.context
        let join = step.function.appendBlock("grad.done", in: context)
        for (number, layer) in layout.layers.enumerated() {
            guard number < layout.layers.count - 1 else {
                emitLayerGradient(step, layer: number, parameter: p)  // the last layer: what is left
                break
            }
            let body = step.function.appendBlock("grad.l\(number)", in: context)
            let next = step.function.appendBlock("grad.not\(number)", in: context)
            let end = builder.index(layer.offset + layer.outputs * (layer.inputs + 1))
            builder.branch(if: builder.lessThan(p, end, name: "grad.in\(number)"), then: body, else: next)
            builder.position(atEndOf: body)
            emitLayerGradient(step, layer: number, parameter: p)
            builder.branch(to: join)
            builder.position(atEndOf: next)
        }
        builder.branch(to: join)
        builder.position(atEndOf: join)
    }

    /// `grads[p]` for a parameter of layer `number`: neuron k's input j (the bias when j is the
    /// input count). The start is the CPU step's L2 start, `(0 + p·alpha) + p·alpha`, or 0
    /// without L2; then `acc = acc + x_rj · ds_rk` for r from n - 1 down to 0.
    ///
    /// NOTE (numerics): the bias's `x` is 1 and `1 · ds == ds` exactly, the interpreter's bias
    /// contribution. For the bias, input 0 is read and discarded (never past a row's end).
    private func emitLayerGradient(_ step: TrainingEmitter, layer number: Int, parameter p: IRValue) {
        let builder = step.builder, layer = layout.layers[number], name = "gw\(number)"
        let local = builder.sub(p, builder.index(layer.offset), name: "\(name).local")
        let k = builder.sdiv(local, builder.index(layer.inputs + 1), name: "\(name).k")
        let rowStart = builder.mul(k, builder.index(layer.inputs + 1), name: "\(name).kr")
        let j = builder.sub(local, rowStart, name: "\(name).j")
        let isBias = builder.icmp(.equal, j, builder.index(layer.inputs), name: "\(name).isb")
        let column = builder.select(isBias, builder.index(0), j, name: "\(name).col")
        let zero = step.emit.constant(0)
        let value = builder.loadDouble(step.parameters, p, name: "\(name).p")
        let half = builder.fmul(value, step.alpha, name: "\(name).pa")
        let twice = builder.fadd(step.fresh(half, name: "\(name).first"), half, name: "\(name).second")
        let noL2 = builder.fcmp(.equal, step.alpha, zero, name: "\(name).nol2")
        let start = builder.select(noL2, zero, twice, name: "\(name).g0")
        let sum = builder.reverseLoop("\(name).r", runtimeCount: step.rowCount, in: step.function,
                                      carrying: [start]) { row, acc in
            let (buffer, index) = step.inputIndex(number, sample: row, column)
            let input = builder.loadDouble(buffer, index, name: "\(name).x")
            let x = builder.select(isBias, step.emit.constant(1), input, name: "\(name).x1")
            let ds = builder.loadDouble(step.adjoints, step.activationIndex(number, sample: row, k), name: "\(name).ds")
            return [builder.fadd(acc[0], builder.fmul(x, ds, name: "\(name).m"), name: "\(name).acc")]
        }[0]
        builder.storeDouble(sum, step.gradients, p, name: "\(name).g")
    }
}
