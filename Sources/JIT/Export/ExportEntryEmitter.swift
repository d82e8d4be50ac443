internal import CLLVM

/// Emits an exported MLP's C entry points around its kernels:
/// `void NAME_predict([const double *parameters,] const T *input, T *output)` and
/// `void NAME_predict_batch([const double *parameters,] const T *inputs, T *outputs, size_t rows)`,
/// `T` the export's precision.
///
/// NOTE (lifetime): a non-owning view of a module under construction, used during emission only.
struct ExportEntryEmitter {
    private let module: LLVMModuleRef
    private let context: Context
    let name: String
    let shape: MLPShape
    let precision: JITOptions.Precision
    let weights: ExportedWeights
    private let sizeType: IRType

    init(module: borrowing Module, name: String, shape: MLPShape, precision: JITOptions.Precision,
         weights: ExportedWeights) {
        self.module = module.ref
        context = module.context
        self.name = name
        self.shape = shape
        self.precision = precision
        self.weights = weights
        sizeType = module.sizeType
    }

    private var double: IRType { context.double }
    /// The element type of the entry points' inputs and outputs.
    private var scalar: IRType { precision == .float32 ? context.float : context.double }

    /// Adds an external function with `noalias` pointers, returning it and the parameters
    /// pointer (the global's address, or the first argument).
    private func addEntry(_ symbol: String, _ arguments: [IRType], builder: IRBuilder) -> (Function, IRValue, Int) {
        let leading = weights.isArgument ? [double.pointer] : []
        let all = leading + arguments
        let function = Function(ref: LLVMAddFunction(module, symbol, context.void.function(all).ref),
                                type: context.void.function(all))
        for (index, type) in all.enumerated() where LLVMGetTypeKind(type.ref) == LLVMPointerTypeKind {
            function.markNoAlias(parameter: index, in: context)
        }
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let parameters: IRValue
        switch weights {
        case .embedded(let global): parameters = IRValue(ref: LLVMConstPointerCast(global.ref, double.pointer.ref))
        case .argument: parameters = function.parameter(0, name: "parameters")
        }
        return (function, parameters, leading.count)
    }

    /// `NAME_predict`: the single-sample kernel, with Float32 values widened to double and back.
    func emitPredict(kernel: Function) -> Function {
        let builder = IRBuilder(context: context)
        let (function, parameters, first) = addEntry(
            "\(name)_predict", [scalar.pointer, scalar.pointer], builder: builder)
        let input = function.parameter(first, name: "input")
        let output = function.parameter(first + 1, name: "output")
        if precision == .float64 {
            _ = builder.call(kernel, [parameters, input, output], name: "")
        } else {
            let x = builder.alloca(double, count: shape.inputCount, name: "x.d")
            let y = builder.alloca(double, count: shape.outputCount, name: "y.d")
            widen(input, into: x, count: shape.inputCount, builder: builder, in: function)
            _ = builder.call(kernel, [parameters, x, y], name: "")
            narrow(y, into: output, count: shape.outputCount, builder: builder, in: function)
        }
        builder.retVoid()
        return function
    }

    /// `NAME_predict_batch`: whole blocks through the block kernel (when there is one), the
    /// rows left over through `NAME_predict` (a call, so the single-sample kernel's code is
    /// not duplicated).
    func emitPredictBatch(single: Function, block: (function: Function, tiling: BatchTiling)?) {
        let builder = IRBuilder(context: context)
        let int64 = context.int64
        let (function, parameters, first) = addEntry(
            "\(name)_predict_batch", [scalar.pointer, scalar.pointer, sizeType], builder: builder)
        let inputs = function.parameter(first, name: "inputs")
        let outputs = function.parameter(first + 1, name: "outputs")
        let rows = builder.widenedIndex(function.parameter(first + 2, name: "rows"), to: int64, name: "rows.i64")
        let (inCount, outCount) = (shape.inputCount, shape.outputCount)
        var done = int64.constant(integer: 0)
        if let (kernelBlock, tiling) = block {
            let vector = scalar.vector(tiling.lanes)
            let scratch = builder.alloca(vector, count: shape.batchScratchVectors(tiling), name: "scratch")
            builder.setAlignment(scratch, bytes: 64)
            let rowsPerBlock = tiling.blockRows
            let boundary = precision == .float32
                ? (builder.alloca(double, count: rowsPerBlock * inCount, name: "xs.d"),
                   builder.alloca(double, count: rowsPerBlock * outCount, name: "ys.d")) : nil
            let blocks = builder.unsignedDivide(rows, int64.constant(integer: rowsPerBlock), name: "blocks")
            _ = builder.loop("block", runtimeCount: blocks, in: function) { index, _ in
                let x = element(inputs, index, times: rowsPerBlock * inCount, builder: builder, name: "x")
                let y = element(outputs, index, times: rowsPerBlock * outCount, builder: builder, name: "y")
                if let (xd, yd) = boundary {
                    widen(x, into: xd, count: rowsPerBlock * inCount, builder: builder, in: function)
                    _ = builder.call(kernelBlock, [parameters, xd, yd, scratch], name: "")
                    narrow(yd, into: y, count: rowsPerBlock * outCount, builder: builder, in: function)
                } else {
                    _ = builder.call(kernelBlock, [parameters, x, y, scratch], name: "")
                }
                return []
            }
            done = builder.mul(blocks, builder.int(rowsPerBlock), name: "rows.blocked")
        }
        let left = builder.wrappingSub(rows, done, name: "rows.left")
        _ = builder.loop("row", runtimeCount: left, in: function) { index, _ in
            let row = builder.add(done, index, name: "row")
            let x = element(inputs, row, times: inCount, builder: builder, name: "x")
            let y = element(outputs, row, times: outCount, builder: builder, name: "y")
            _ = builder.call(single, (weights.isArgument ? [parameters] : []) + [x, y], name: "")
            return []
        }
        builder.retVoid()
    }

    /// The address of `buffer[index · times]`, a buffer of the entry points' element type.
    private func element(_ buffer: IRValue, _ index: IRValue, times: Int, builder: IRBuilder, name: String) -> IRValue {
        builder.elementPointer(scalar, buffer, builder.mul(index, builder.int(times), name: "\(name).at"), name: name)
    }

    /// Converts `count` floats at `source` to doubles at `destination` (exact).
    private func widen(
        _ source: IRValue, into destination: IRValue, count: Int, builder: IRBuilder, in function: Function
    ) {
        builder.convert(count, from: source, context.float, to: destination, double, in: function)
    }

    /// Converts `count` doubles at `source` (each a float widened) to floats at `destination` (exact).
    private func narrow(
        _ source: IRValue, into destination: IRValue, count: Int, builder: IRBuilder, in function: Function
    ) {
        builder.convert(count, from: source, double, to: destination, context.float, in: function)
    }
}

extension ExportedWeights {
    var isArgument: Bool {
        if case .argument = self { return true }
        return false
    }
}
