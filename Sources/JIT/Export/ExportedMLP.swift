import Micrograd

/// An MLP's exported entry points, emitted around the JIT's own kernels: `NAME_predict` calls
/// the single-sample kernel (`@mlp`, inlined into it), `NAME_predict_batch` the block kernel
/// (`@mlp_block`, internal) on whole blocks of rows and `NAME_predict` on the rows left over,
/// so each kernel's code is in the object once and the object exports exactly the functions
/// the header declares.
///
/// NOTE (numerics): the kernels are the JIT's, emitted for the export's target, so the exported
/// functions compute what `jit(mlp)` computes for that target: in exact Float64 the
/// interpreter's bits. With `.float32`, inputs are widened to double (exactly) and the kernel
/// rounds them to float as the JIT does; outputs are rounded from float to double and back
/// (exactly). Every row of a batch equals the single-sample call's result.
struct ExportedMLP {
    let shape: MLPShape
    let name: String
    let parameters: [Double]
    let options: ExportOptions
    let target: TargetDescription

    /// Bytes of stack a batched call may use for the block kernel's scratch (wasm32 programs
    /// get a 64 KB stack by default, other systems at least 512 KB per thread).
    var stackBudget: Int { target.triple.hasPrefix("wasm") ? 16 << 10 : 64 << 10 }

    /// The block kernel's tiling for the target, with fewer rows per block if the scratch would
    /// not fit the stack budget; nil when even the smallest block does not (then a batched call
    /// runs the single-sample kernel row by row).
    var tiling: BatchTiling? {
        let standard = BatchTiling(target: target, precision: options.precision)
        var rows = standard.blockRows
        let smallest = standard.lanes * standard.panelVectors
        while rows >= smallest {
            if stackBytes(blockRows: rows, elementBytes: standard.elementBytes) <= stackBudget {
                return BatchTiling(
                    lanes: standard.lanes, blockRows: rows, neuronTile: standard.neuronTile,
                    maxAccumulators: standard.maxAccumulators, panelVectors: standard.panelVectors,
                    inputChunk: standard.inputChunk, elementBytes: standard.elementBytes)
            }
            rows /= 2
        }
        return nil
    }

    /// The block kernel's two layer buffers, plus the Float32 boundary's double rows.
    private func stackBytes(blockRows: Int, elementBytes: Int) -> Int {
        let widest = shape.layers.reduce(shape.inputCount) { Swift.max($0, $1.inputs, $1.outputs) }
        let boundary = options.precision == .float32 ? blockRows * (shape.inputCount + shape.outputCount) * 8 : 0
        return 2 * widest * blockRows * elementBytes + boundary
    }

    /// Emits the kernels and the entry points into `module`; returns what the header declares.
    func emit(into module: borrowing Module) throws -> ExportManifest {
        let context = module.context
        let double = context.double
        let precision = options.precision
        let plan = MLPKernelPlan(target: target, precision: precision, numerics: options.numerics)
        try shape.emit(into: module, precision: precision, plan: plan)
        let kernelType = context.void.function([double.pointer, double.pointer, double.pointer])
        guard let kernel = module.function(named: MLPShape.entryName, type: kernelType) else {
            throw JITError.llvm("internal error: the MLP kernel was not emitted")
        }
        kernel.makeInternal()
        kernel.addAttribute("alwaysinline", in: context)

        var block: (function: Function, tiling: BatchTiling)?
        if let tiling {
            try shape.emitBatched(
                into: module, precision: precision, tiling: tiling, fused: options.numerics == .fast && target.hasFMA)
            let vector = (precision == .float32 ? context.float : double).vector(tiling.lanes)
            let blockType = context.void.function([double.pointer, double.pointer, double.pointer, vector.pointer])
            guard let function = module.function(named: MLPShape.batchEntryName, type: blockType) else {
                throw JITError.llvm("internal error: the MLP block kernel was not emitted")
            }
            function.makeInternal()
            block = (function, tiling)
        }

        let weights: ExportedWeights = options.weights == .embedded
            ? .embedded(module.addConstantArray("\(name).parameters", of: parameters)) : .argument
        let entries = ExportEntryEmitter(
            module: module, name: name, shape: shape, precision: precision, weights: weights)
        let single = entries.emitPredict(kernel: kernel)
        entries.emitPredictBatch(single: single, block: block)
        return manifest(blockRows: block?.tiling.blockRows)
    }
}

/// Where the entry points find the parameters.
enum ExportedWeights {
    /// A constant global of the object.
    case embedded(IRValue)
    /// The first argument of every entry point.
    case argument
}
