import Micrograd

extension MLPShape {
    /// The name of the emitted batched function.
    static let batchEntryName = "mlp_block"

    /// The name of the batched function for a batch's last rows (`BatchTiling.tail`).
    static let batchTailEntryName = "mlp_block_tail"

    /// Emits the forward pass of one block of samples, vectorised across samples, as `name`:
    /// `void @mlp_block(double* noalias %params, double* noalias %x, double* noalias %out,
    /// <lanes x T>* noalias %scratch)`.
    ///
    /// `x` holds `tiling.blockRows` samples row-major (`inputCount` each), `out` receives as many
    /// rows of `outputCount`; `scratch` holds `batchScratchVectors(tiling)` vectors, aligned to
    /// 64 bytes (a vector's size at most). The block is transposed into scratch feature-major,
    /// each layer maps one scratch buffer to the other with register-tiled loop nests, and the
    /// last is transposed back.
    ///
    /// NOTE (numerics): each lane is one sample and computes exactly the scalar lowering's
    /// sequence: `acc = bias; acc = acc + w_i * x_i` for i in input order, one rounding per
    /// operation, no FMA (no fast-math flags), then the activation (libm per lane for tanh and
    /// sigmoid). So every sample's outputs equal the interpreter's bit for bit in Float64, for
    /// every lane count (each lane is independent), and in Float32 the same bits on every target.
    ///
    /// NOTE (numerics, `fused`): `acc = fma(w_i, x_i, acc)` in the same order. With the bias
    /// counted as a term (m = n + 1 terms t for n inputs) each result is within
    /// `gamma_m * sum |t|` of the true sum, as is the exact one, so per neuron pre-activation
    /// `|fast - exact| <= 2 gamma_m (|b| + sum |w_i x_i|)`, `gamma_m = m eps / (1 - m eps)`,
    /// eps the unit roundoff of the precision (2^-53, 2^-24). No sum is split: a register tile
    /// already runs `neurons x vectors` independent chains, enough to hide the FMA latency.
    func emitBatched(
        into module: borrowing Module, precision: JITOptions.Precision, tiling: BatchTiling, fused: Bool,
        name: String = MLPShape.batchEntryName
    ) throws {
        let context = module.context
        let double = context.double
        let builder = IRBuilder(context: context)
        let emit = ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: precision)
        let vector = emit.type.vector(tiling.lanes)
        let function = module.addFunction(
            name,
            type: context.void.function([double.pointer, double.pointer, double.pointer, vector.pointer]))
        for index in 0..<4 { function.markNoAlias(parameter: index, in: context) }
        builder.position(atEndOf: function.appendBlock("entry", in: context))

        let scratch = function.parameter(3, name: "scratch")
        let half = builder.int(batchBufferVectors(tiling))
        let buffers = [scratch, builder.elementPointer(vector, scratch, half, name: "scratch.b")]
        let emitter = BatchedLayerEmitter(
            emit: emit, function: function, tiling: tiling, vector: vector,
            parameters: function.parameter(0, name: "params"), fused: fused)

        emitter.transposeIn(from: function.parameter(1, name: "x"), features: inputCount, to: buffers[0])
        for (number, layer) in layers.enumerated() {
            emitter.emitLayer(layer, number: number, from: buffers[number % 2], to: buffers[(number + 1) % 2])
        }
        emitter.transposeOut(from: buffers[layers.count % 2], features: outputCount, to: function.parameter(2, name: "out"))
        builder.retVoid()
    }

    /// The vectors of one scratch buffer: the widest layer's features for a block.
    func batchBufferVectors(_ tiling: BatchTiling) -> Int {
        let widest = layers.reduce(inputCount) { Swift.max($0, $1.inputs, $1.outputs) }
        return widest * tiling.vectorsPerBlock
    }

    /// The vectors of scratch a kernel call needs: two buffers, used in turn by the layers.
    func batchScratchVectors(_ tiling: BatchTiling) -> Int { 2 * batchBufferVectors(tiling) }
}
