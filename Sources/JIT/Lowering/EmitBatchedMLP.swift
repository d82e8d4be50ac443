import Micrograd

extension MLPShape {
    /// The name of the emitted batched function.
    static let batchEntryName = "mlp_block"

    /// Emits the forward pass of one block of samples, vectorised across samples:
    /// `void @mlp_block(double* noalias %params, double* noalias %x, double* noalias %out,
    /// <4 x T>* noalias %scratch)`.
    ///
    /// `x` holds `tiling.blockRows` samples row-major (`inputCount` each), `out` receives as many
    /// rows of `outputCount`; `scratch` holds `batchScratchVectors(tiling)` vectors, 32-byte
    /// aligned. The block is transposed into scratch feature-major, each layer maps one scratch
    /// buffer to the other with register-tiled loop nests, and the last is transposed back.
    ///
    /// NOTE (numerics): each lane is one sample and computes exactly the scalar lowering's
    /// sequence: `acc = bias; acc = acc + w_i * x_i` for i in input order, one rounding per
    /// operation, no FMA (no fast-math flags), then the activation (libm per lane for tanh and
    /// sigmoid). So every sample's outputs equal the interpreter's bit for bit in Float64.
    func emitBatched(into module: borrowing Module, precision: JITOptions.Precision, tiling: BatchTiling) throws {
        let context = module.context
        let double = context.double
        let builder = IRBuilder(context: context)
        let emit = ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: precision)
        let vector = emit.type.vector(tiling.lanes)
        let function = module.addFunction(
            MLPShape.batchEntryName,
            type: context.void.function([double.pointer, double.pointer, double.pointer, vector.pointer]))
        for index in 0..<4 { function.markNoAlias(parameter: index, in: context) }
        builder.position(atEndOf: function.appendBlock("entry", in: context))

        let scratch = function.parameter(3, name: "scratch")
        let half = builder.int(batchBufferVectors(tiling))
        let buffers = [scratch, builder.elementPointer(vector, scratch, half, name: "scratch.b")]
        let emitter = BatchedLayerEmitter(
            emit: emit, function: function, tiling: tiling, vector: vector,
            parameters: function.parameter(0, name: "params"))

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
