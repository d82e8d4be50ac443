import Micrograd

/// Emits the forward pass of one sample as a function of three buffers in `addressSpace`:
/// `void @mlp_sample(T* noalias %params, double* noalias %x, double* noalias %out)`, `T` the
/// compiled precision. The GPU kernel calls it once per thread (inlined); the tests JIT the very
/// same function for the CPU and compare it with the interpreter, which checks the GPU
/// lowering's numerics without a GPU.
///
/// Per neuron: `acc = bias; acc = acc + w_i * x_i` in input order; the activation. Parameters
/// are read from `params` in `MLPShape`'s layout (row by row, weights then bias, each layer from
/// its offset), the layout of `ParameterStorage`, converted to `T` (for Float32 the host converts
/// once when it uploads, giving the values the CPU kernel's per-load `fptrunc` gives).
///
/// NOTE (numerics): plain `fmul`/`fadd` without fast-math flags; NVPTX prints them as `mul.rn`
/// and `add.rn`, which forbids the PTX compiler's FMA contraction, so Float64 results equal the
/// interpreter's bit for bit (measured on an H200 for MLP(2,[16,16,1]) on 1,048,576 rows) in relu
/// and linear layers. The scalar emitter's tanh and sigmoid call the built-in math routines on
/// NVPTX (`GPUCompiler` makes its modules use them: `llvm.exp` or libm's `tanh` would abort code
/// generation with "Undefined external symbol"), within their bound (2 ulp of libm).
///
/// NOTE (shape): a model of at most `unrolledParameterLimit` parameters is emitted straight-line,
/// hidden activations as SSA values (registers on the GPU); a larger one as loops over neurons
/// and inputs, hidden activations in two per-thread arrays (`alloca`, local memory on the GPU).
struct GPUSampleEmitter {
    static let name = "mlp_sample"
    /// The most parameters a straight-line sample function is emitted for.
    static let unrolledParameterLimit = 4096

    let shape: MLPShape
    let precision: JITOptions.Precision
    /// 1 (global memory) on NVPTX; the CPU test uses the same value.
    let addressSpace: Int
    /// The most parameters emitted straight-line; tests lower it to check the loops on small models.
    var unrolledLimit = GPUSampleEmitter.unrolledParameterLimit

    /// Whether this shape is emitted straight-line (at most `unrolledLimit` parameters).
    var isUnrolled: Bool { shape.parameterCount <= unrolledLimit }

    /// `[T*, double*, double*]`: parameters, inputs, outputs.
    func parameterTypes(in context: Context) -> [IRType] {
        let scalar = precision == .float32 ? context.float : context.double
        let double = context.double.pointer(addressSpace: addressSpace)
        return [scalar.pointer(addressSpace: addressSpace), double, double]
    }

    /// The function type `(T*, double*, double*) -> void`.
    func functionType(in context: Context) -> IRType { context.void.function(parameterTypes(in: context)) }

    /// Adds the function to `module` and emits its body.
    ///
    /// - Throws: `JITError` when a loop cannot be built (an IR builder error).
    @discardableResult
    func emit(into module: borrowing Module) throws -> Function {
        let context = module.context
        let function = module.addFunction(Self.name, type: functionType(in: context))
        for index in 0..<3 { function.markNoAlias(parameter: index, in: context) }
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let emit = ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: precision)
        let body = GPUSampleBody(
            emit: emit, function: function, shape: shape,
            parameters: function.parameter(0, name: "params"), x: function.parameter(1, name: "x"),
            out: function.parameter(2, name: "out"))
        if isUnrolled { body.emitUnrolled() } else { try body.emitLoops() }
        builder.retVoid()
        return function
    }
}
